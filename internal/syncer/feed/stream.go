package feed

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Stream follows cosell's event stream (GET /_cosell/events/stream of the
// admin API) for one account; the cursor is the event's sequence number.
type Stream struct {
	Endpoint string // the server's URL
	Token    string // its admin token
	Account  string
	HTTP     *http.Client
	Log      *slog.Logger
}

// reconnectDelay paces reconnection after the stream breaks.
const reconnectDelay = time.Second

// Run implements Source: it reconnects after every break, resuming after
// the last event delivered.
func (s *Stream) Run(ctx context.Context, after string, deliver Deliver) error {
	for {
		last, err := s.follow(ctx, after, deliver)
		after = last
		if ctx.Err() != nil {
			return nil
		}
		s.Log.Warn("event stream broke; reconnecting", "after", after, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(reconnectDelay):
		}
	}
}

// follow reads one connection; it returns the cursor of the last event
// delivered.
func (s *Stream) follow(ctx context.Context, after string, deliver Deliver) (string, error) {
	q := url.Values{"account": {s.Account}}
	if after != "" {
		q.Set("after", after)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(s.Endpoint, "/")+"/_cosell/events/stream?"+q.Encode(), nil)
	if err != nil {
		return after, err
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	res, err := s.HTTP.Do(req)
	if err != nil {
		return after, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return after, fmt.Errorf("event stream: HTTP %d", res.StatusCode)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var id string
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() > 0 {
				e, err := Parse([]byte(data.String()))
				if err != nil {
					return after, err
				}
				e.Cursor = id
				if err := deliver(ctx, e); err != nil {
					return after, err
				}
				after = id
			}
			id = ""
			data.Reset()
		case strings.HasPrefix(line, "id:"):
			id = strings.TrimSpace(strings.TrimPrefix(line, "id:"))
		case strings.HasPrefix(line, "data:"):
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
	if err := sc.Err(); err != nil {
		return after, err
	}
	return after, fmt.Errorf("event stream closed by the server")
}
