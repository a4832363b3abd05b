// bexpr-reference answers go-bexpr's verdict for filters over JSON data, for the differential
// tests in test/parity. One JSON object a line on stdin, {"filter": "...", "data": {...}}; one line
// out, {"result": "true" | "false" | "error" | "syntax" | "panic"}. Data is decoded with UseNumber,
// as a JSON document reaches go-bexpr in KFP-Operator: numbers stay json.Number, which go-bexpr
// turns into int64 or float64 at the selected field and compares as text inside lists.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/go-bexpr"
)

type request struct {
	Filter string          `json:"filter"`
	Data   json.RawMessage `json:"data"`
}

type answer struct {
	Result string `json:"result"`
	Detail string `json:"detail,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintf(os.Stderr, "bad request: %v\n", err)
			os.Exit(2)
		}
		if err := encoder.Encode(evaluate(req)); err != nil {
			os.Exit(2)
		}
	}
}

func evaluate(req request) (result answer) {
	defer func() {
		if r := recover(); r != nil {
			result = answer{Result: "panic", Detail: fmt.Sprint(r)}
		}
	}()
	evaluator, err := bexpr.CreateEvaluator(req.Filter)
	if err != nil {
		return answer{Result: "syntax", Detail: err.Error()}
	}
	decoder := json.NewDecoder(bytes.NewReader(req.Data))
	decoder.UseNumber()
	var data map[string]interface{}
	if err := decoder.Decode(&data); err != nil {
		return answer{Result: "baddata", Detail: err.Error()}
	}
	matched, err := evaluator.Evaluate(data)
	if err != nil {
		return answer{Result: "error", Detail: err.Error()}
	}
	return answer{Result: fmt.Sprint(matched)}
}
