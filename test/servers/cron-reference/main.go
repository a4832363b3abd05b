// cron-reference answers what a Kubernetes CronJob makes of a schedule, for the differential tests
// in test/parity: robfig/cron v3's standard parser, as the CronJob controller calls it, and the next
// times after a moment in a timezone. One JSON object a line on stdin, {"spec", "from" (RFC 3339),
// "timezone", "count"}; one line out, {"error": "..."} or {"next": ["RFC 3339 UTC", ...]}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/robfig/cron/v3"
)

type request struct {
	Spec     string `json:"spec"`
	From     string `json:"from"`
	Timezone string `json:"timezone"`
	Count    int    `json:"count"`
}

type answer struct {
	Error string   `json:"error,omitempty"`
	Next  []string `json:"next,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintf(os.Stderr, "bad request: %v\n", err)
			os.Exit(2)
		}
		if err := encoder.Encode(next(req)); err != nil {
			os.Exit(2)
		}
	}
}

func next(req request) answer {
	schedule, err := cron.ParseStandard(req.Spec)
	if err != nil {
		return answer{Error: err.Error()}
	}
	location, err := time.LoadLocation(req.Timezone)
	if err != nil {
		return answer{Error: err.Error()}
	}
	from, err := time.Parse(time.RFC3339, req.From)
	if err != nil {
		return answer{Error: err.Error()}
	}
	at := from.In(location)
	times := []string{}
	for i := 0; i < req.Count; i++ {
		at = schedule.Next(at)
		if at.IsZero() {
			break
		}
		times = append(times, at.UTC().Format(time.RFC3339))
	}
	return answer{Next: times}
}
