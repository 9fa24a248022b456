package selling

// Kinds of the collaboration documents the Selling API keeps in the store
// (see internal/docstore).
const (
	kindEngagement  = "engagement"
	kindInvitation  = "invitation"
	kindSnapshot    = "snapshot"
	kindSnapshotJob = "snapshot-job"
	kindTask        = "task"
)
