package admin

import (
	"net/http"
	"time"
)

// clockState is the answer of every clock route.
type clockState struct {
	Now string `json:"now"`
}

func stateOf(c Clock) clockState {
	return clockState{Now: c.Now().UTC().Format(time.RFC3339Nano)}
}

// getClock answers GET /_cosell/clock with the server's current time.
func getClock(c Clock) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, stateOf(c)) }
}

// clockMove is the body of POST /_cosell/clock: exactly one of Advance, a
// Go duration such as "360h", or Set, an RFC 3339 time.
type clockMove struct {
	Advance *string    `json:"advance"`
	Set     *time.Time `json:"set"`
}

// moveClock answers POST /_cosell/clock. The clock only moves forward:
// records already carry times, and a clock that went back would let
// later writes predate earlier ones.
func moveClock(c Clock) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var m clockMove
		if err := readJSON(w, r, &m); err != nil {
			writeError(w, http.StatusBadRequest, "body: "+err.Error())
			return
		}
		var d time.Duration
		switch {
		case (m.Advance == nil) == (m.Set == nil):
			writeError(w, http.StatusBadRequest, `give exactly one of "advance" (a Go duration such as "360h") or "set" (an RFC 3339 time)`)
			return
		case m.Advance != nil:
			var err error
			if d, err = time.ParseDuration(*m.Advance); err != nil {
				writeError(w, http.StatusBadRequest, "advance: "+err.Error())
				return
			}
		default:
			d = m.Set.Sub(c.Now())
		}
		if d < 0 {
			writeError(w, http.StatusBadRequest, "the clock only moves forward; it is now "+stateOf(c).Now)
			return
		}
		c.Advance(d)
		writeJSON(w, http.StatusOK, stateOf(c))
	}
}
