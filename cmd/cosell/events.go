package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/server"
)

// printedEvent is one line of `cosell events`: JSON lines, for jq.
type printedEvent struct {
	Seq   int64           `json:"seq"`
	Event json.RawMessage `json:"event"`
}

// eventsClient reads a server's event log through the admin API.
type eventsClient struct {
	endpoint string
	token    string
	account  string
	http     *http.Client
}

func runEvents(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell events", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", envOr("COSELL_ENDPOINT", "http://"+server.DefaultAddr), "the cosell server's URL (env COSELL_ENDPOINT)")
	token := fs.String("admin-token", envOr("COSELL_ADMIN_TOKEN", ""), "the server's admin token (env COSELL_ADMIN_TOKEN)")
	account := fs.String("account", "", "only this account's events; empty for all")
	after := fs.Int64("after", 0, "print events after this sequence number")
	follow := fs.Bool("follow", false, "keep printing new events as they are committed, until interrupted")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *token == "" {
		return errors.New("--admin-token (or COSELL_ADMIN_TOKEN) is required: events are read through the admin API")
	}
	c := &eventsClient{endpoint: strings.TrimSuffix(*endpoint, "/"), token: *token, account: *account, http: &http.Client{}}
	out := json.NewEncoder(stdout)
	emit := func(seq int64, event []byte) error { return out.Encode(printedEvent{Seq: seq, Event: event}) }
	if *follow {
		return c.follow(ctx, *after, emit)
	}
	return c.list(ctx, *after, emit)
}

// list prints every event after the cursor, a page at a time.
func (c *eventsClient) list(ctx context.Context, after int64, emit func(int64, []byte) error) error {
	for {
		q := url.Values{"after": {strconv.FormatInt(after, 10)}, "limit": {"1000"}}
		if c.account != "" {
			q.Set("account", c.account)
		}
		res, err := c.get(ctx, "/_cosell/events?"+q.Encode(), "")
		if err != nil {
			return err
		}
		var page struct {
			Events []printedEvent `json:"events"`
			After  int64          `json:"after"`
		}
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil {
			return fmt.Errorf("read the event log: %w", err)
		}
		for _, e := range page.Events {
			if err := emit(e.Seq, e.Event); err != nil {
				return err
			}
		}
		if len(page.Events) == 0 {
			return nil
		}
		after = page.After
	}
}

// follow prints the event stream, reconnecting after the last event it
// printed whenever the connection drops (a server restart, say).
func (c *eventsClient) follow(ctx context.Context, after int64, emit func(int64, []byte) error) error {
	q := url.Values{}
	if c.account != "" {
		q.Set("account", c.account)
	}
	for {
		err := c.stream(ctx, "/_cosell/events/stream?"+q.Encode(), &after, emit)
		if ctx.Err() != nil {
			return nil // interrupted: the normal way to stop following
		}
		var refused *refusedError
		if errors.As(err, &refused) {
			return err // a wrong token will not get better by retrying
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// stream reads one SSE connection, moving *after past each printed event.
func (c *eventsClient) stream(ctx context.Context, path string, after *int64, emit func(int64, []byte) error) error {
	res, err := c.get(ctx, path, strconv.FormatInt(*after, 10))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20) // an event is one data line, and may be long
	var id int64 = -1
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if id >= 0 && len(data) > 0 {
				if err := emit(id, []byte(strings.Join(data, "\n"))); err != nil {
					return err
				}
				*after = id
			}
			id, data = -1, nil
		case strings.HasPrefix(line, "id:"):
			id, err = strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, "id:")), 10, 64)
			if err != nil {
				return fmt.Errorf("stream: bad id line %q", line)
			}
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
	return sc.Err()
}

// refusedError is an answer other than 200.
type refusedError struct {
	status int
	body   string
}

func (e *refusedError) Error() string { return fmt.Sprintf("server answered %d: %s", e.status, e.body) }

// get sends an admin GET; lastEventID, when set, resumes a stream.
func (c *eventsClient) get(ctx context.Context, path, lastEventID string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
		res.Body.Close()
		return nil, &refusedError{status: res.StatusCode, body: adminMessage(body)}
	}
	return res, nil
}
