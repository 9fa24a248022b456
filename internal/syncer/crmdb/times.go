package crmdb

import (
	"fmt"
	"time"
)

// timeText is how every time is written: RFC 3339 with every digit AWS
// sent, so a LastModifiedDate round-trips exactly. SQLite keeps the text;
// PostgreSQL parses it into a timestamptz (microseconds, more than the
// milliseconds AWS sends). The zero time is NULL.
func timeText(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// dbTime reads a stored time, whichever way the driver hands it over:
// text from SQLite, a time.Time from PostgreSQL. NULL (or "") is the zero
// time.
type dbTime struct{ time.Time }

func (d *dbTime) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case nil:
		d.Time = time.Time{}
	case time.Time:
		d.Time = v.UTC()
	case string:
		d.Time, err = parseTimeText(v)
	case []byte:
		d.Time, err = parseTimeText(string(v))
	default:
		err = fmt.Errorf("crmdb: a time stored as %T", src)
	}
	return err
}

func parseTimeText(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
