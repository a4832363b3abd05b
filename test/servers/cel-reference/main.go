// cel-reference evaluates CEL `when` expressions with cel-go, the reference implementation,
// in the environment runbridge gives them: the variables `event`, `git` and `payload`
// (maps from string to dyn, filled from JSON), the standard library and the strings
// extension at version 2, which is what @bufbuild/cel's strings extension implements.
//
// It reads one JSON object a line on stdin, {"expr": "...", "vars": {"event": {...}, ...}},
// and writes one line for each on stdout: {"result": true|false} or {"error": "...",
// "phase": "compile"|"eval"}. A result that is not a bool is an error, as in runbridge.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"
)

type request struct {
	Expr string         `json:"expr"`
	Vars map[string]any `json:"vars"`
}

type response struct {
	Result *bool  `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
	Phase  string `json:"phase,omitempty"`
}

func newEnv() (*cel.Env, error) {
	dynMap := cel.MapType(cel.StringType, cel.DynType)
	return cel.NewEnv(
		cel.Variable("event", dynMap),
		cel.Variable("git", dynMap),
		cel.Variable("payload", dynMap),
		ext.Strings(ext.StringsVersion(2)),
	)
}

func evaluate(env *cel.Env, req request) response {
	ast, issues := env.Compile(req.Expr)
	if issues != nil && issues.Err() != nil {
		return response{Error: issues.Err().Error(), Phase: "compile"}
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) && !t.IsExactType(cel.DynType) {
		return response{Error: fmt.Sprintf("must evaluate to a bool, not %s", t), Phase: "compile"}
	}
	program, err := env.Program(ast)
	if err != nil {
		return response{Error: err.Error(), Phase: "compile"}
	}
	vars := map[string]any{}
	for _, name := range []string{"event", "git", "payload"} {
		value, ok := req.Vars[name].(map[string]any)
		if !ok {
			value = map[string]any{}
		}
		vars[name] = value
	}
	out, _, err := program.Eval(vars)
	if err != nil {
		return response{Error: err.Error(), Phase: "eval"}
	}
	result, ok := out.Value().(bool)
	if !ok {
		return response{Error: fmt.Sprintf("result is %s, not a bool", out.Type()), Phase: "eval"}
	}
	return response{Result: &result}
}

func main() {
	env, err := newEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	writer := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(writer)
	for scanner.Scan() {
		var req request
		var res response
		if err := json.Unmarshal(scanner.Bytes(), &req); err != nil {
			res = response{Error: fmt.Sprintf("bad request line: %v", err), Phase: "request"}
		} else {
			res = evaluate(env, req)
		}
		if err := encoder.Encode(res); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		// One answer per request line, flushed, so a caller can stream.
		if err := writer.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
