package server

import (
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/wire"
)

// snapshotHandlers serve resource snapshots and resource snapshot jobs.
func snapshotHandlers(svc *selling.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"CreateResourceSnapshot":    bind(svc.CreateResourceSnapshot),
		"GetResourceSnapshot":       bind(svc.GetResourceSnapshot),
		"ListResourceSnapshots":     bind(svc.ListResourceSnapshots),
		"CreateResourceSnapshotJob": bind(svc.CreateResourceSnapshotJob),
		"GetResourceSnapshotJob":    bind(svc.GetResourceSnapshotJob),
		"ListResourceSnapshotJobs":  bind(svc.ListResourceSnapshotJobs),
		"StartResourceSnapshotJob":  bind(svc.StartResourceSnapshotJob),
		"StopResourceSnapshotJob":   bind(svc.StopResourceSnapshotJob),
		"DeleteResourceSnapshotJob": bind(svc.DeleteResourceSnapshotJob),
	}
}
