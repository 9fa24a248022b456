package exchange

import (
	"context"
	"sync"
	"time"
)

// pollEvery is how often the worker looks at the server clock for due
// exports: the clock can be moved by the admin API, so one long sleep
// until the next export would miss a jump.
const pollEvery = time.Second

// file is an inbound object waiting to be processed.
type file struct{ bucket, key string }

// queue holds the files announced by Notify, each once, in arrival order.
type queue struct {
	mu      sync.Mutex
	files   []file
	queued  map[file]bool
	arrived chan struct{} // a signal that files are waiting; never blocks Notify
}

func newQueue() queue {
	return queue{queued: map[file]bool{}, arrived: make(chan struct{}, 1)}
}

func (q *queue) push(f file) {
	q.mu.Lock()
	if !q.queued[f] {
		q.queued[f] = true
		q.files = append(q.files, f)
	}
	q.mu.Unlock()
	select {
	case q.arrived <- struct{}{}:
	default:
	}
}

// pop takes the oldest file; ok is false when none is waiting.
func (q *queue) pop() (f file, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.files) == 0 {
		return file{}, false
	}
	f, q.files = q.files[0], q.files[1:]
	delete(q.queued, f)
	return f, true
}

// Notify queues an object just put in a bucket, if it is an inbound file
// of an ACE bucket, and returns at once; Run processes it.
func (x *Exchange) Notify(bucketName, key string) {
	if _, ok := x.buckets[bucketName]; !ok {
		return
	}
	if _, _, ok := inboundFile(key); !ok {
		return
	}
	x.queue.push(file{bucket: bucketName, key: key})
}

// Run is the exchange's worker: it queues every file left in the inbound
// folders (a crash or a stop can leave some), processes files as Notify
// announces them (and those a rescan finds, see Config.Rescan), and
// exports each bucket when its schedule is due. It returns when ctx ends,
// after finishing the file in hand. Among servers sharing a store, one at
// a time runs it (package lease); the schedule is read afresh from the
// store at each start, so an export another server made is not repeated.
func (x *Exchange) Run(ctx context.Context) error {
	x.exporting.Lock()
	clear(x.due)
	x.exporting.Unlock()
	x.rescanInbound(ctx)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var rescan <-chan time.Time
	if x.rescan > 0 {
		t := time.NewTicker(x.rescan)
		defer t.Stop()
		rescan = t.C
	}
	for {
		x.drain(ctx)
		x.exportDue(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-x.queue.arrived:
		case <-tick.C:
		case <-rescan:
			x.rescanInbound(ctx)
		}
	}
}

// rescanInbound queues the files in the inbound folders, logging a failure.
func (x *Exchange) rescanInbound(ctx context.Context) {
	if err := x.scanInbound(ctx); err != nil && ctx.Err() == nil {
		x.log.Error("ace: scan of the inbound folders failed; files left there wait for their next notification or start", "error", err)
	}
}

// scanInbound queues the files in every bucket's inbound folders.
func (x *Exchange) scanInbound(ctx context.Context) error {
	for name := range x.buckets {
		for _, f := range kinds {
			objects, err := x.objects.ListObjects(ctx, name, f.inbound)
			if err != nil {
				return err
			}
			for _, o := range objects {
				x.Notify(name, o.Key)
			}
		}
	}
	return nil
}

// drain processes the queued files until none is left or ctx ends. A file
// in hand is finished even if ctx ends meanwhile, so it is not left half
// moved; one that fails stays in inbound for the next start.
func (x *Exchange) drain(ctx context.Context) {
	for ctx.Err() == nil {
		f, ok := x.queue.pop()
		if !ok {
			return
		}
		if err := x.Process(context.WithoutCancel(ctx), f.bucket, f.key); err != nil {
			x.log.Error("ace: inbound file not processed", "bucket", f.bucket, "key", f.key, "error", err)
		}
	}
}

// exportDue exports every bucket whose schedule is due by the server
// clock. A bucket's schedule follows its last export (durable in its
// cursor), so a restart keeps it; a bucket never exported is first due one
// period after the exchange starts, as a new partner's first hourly file
// comes an hour after it joins (and an on-demand export right after start
// is not raced by a scheduled one).
func (x *Exchange) exportDue(ctx context.Context) {
	x.exporting.Lock()
	defer x.exporting.Unlock()
	for name, b := range x.buckets {
		if ctx.Err() != nil {
			return
		}
		due, known := x.due[name]
		if !known {
			doc, _, err := load[exportCursor](ctx, x.store, kindExportCursor, b, name)
			if ctx.Err() != nil {
				return // stopping: not a failure
			}
			if err != nil {
				x.log.Error("ace: export schedule unreadable", "bucket", name, "error", err)
				continue
			}
			due = x.clock.Now().Add(x.exportEvery)
			if doc.Value != nil {
				due = doc.Value.Through.Add(x.exportEvery)
			}
			x.due[name] = due
		}
		if x.clock.Now().Before(due) {
			continue
		}
		_, err := x.export(ctx, b)
		if ctx.Err() != nil {
			return // stopping: an export cut short is repeated at the next start, not lost
		}
		if err != nil {
			x.log.Error("ace: export failed", "bucket", name, "error", err)
			x.due[name] = x.clock.Now().Add(x.exportEvery) // not retried every second
		}
	}
}
