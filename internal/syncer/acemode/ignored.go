package acemode

import (
	"context"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// A successful record may still leave fields out: those the opportunity's
// state makes read-only, which a cosell result names in a warning
// (ace.IgnoredWarning). Such an edit did not land, so it is not cleared
// as applied but recorded as a conflict, as the API mode records an edit
// Partner Central refuses.

// refuseIgnored records as a conflict the paths of it whose ACE fields the
// warnings say were ignored; applied are the other paths, which landed.
func (e *Engine) refuseIgnored(ctx context.Context, key string, it Item, warnings []string) (applied map[string]any, err error) {
	ignored := map[string]string{} // lower-cased ACE field: its warning
	for _, w := range warnings {
		if f, ok := ace.IgnoredField(w); ok {
			ignored[strings.ToLower(f)] = w
		}
	}
	applied, refused := map[string]any{}, map[string]string{}
	for p, v := range it.Values {
		if w := ignoredWarning(it.Fields[p], ignored); w != "" {
			refused[p] = w
		} else {
			applied[p] = v
		}
	}
	if len(refused) == 0 {
		return applied, nil
	}
	return applied, e.conflictIgnored(ctx, key, it, refused)
}

// ignoredWarning is the warning about the first of fields ignored, "" if
// none was.
func ignoredWarning(fields []string, ignored map[string]string) string {
	for _, f := range fields {
		if w, ok := ignored[strings.ToLower(f)]; ok {
			return w
		}
	}
	return ""
}

// conflictIgnored records the refused edits (path: warning) that are still
// pending with the value sent: an edit made since is the CRM's next
// change, and one already taken out is this result applied again after a
// crash.
func (e *Engine) conflictIgnored(ctx context.Context, key string, it Item, refused map[string]string) error {
	o, err := e.DB.Opportunity(ctx, it.CRMID)
	if err != nil {
		return err
	}
	var fields, reasons []string
	crm := map[string]any{}
	for _, p := range slices.Sorted(maps.Keys(refused)) {
		if ed, ok := o.Edits[p]; !ok || !fieldpath.Equal(ed.Value, it.Values[p]) {
			continue
		}
		fields, crm[p] = append(fields, p), it.Values[p]
		if !slices.Contains(reasons, refused[p]) {
			reasons = append(reasons, refused[p])
		}
	}
	if len(fields) == 0 {
		return nil
	}
	reason := "refused by Partner Central (" + path.Base(key) + "): " + strings.Join(reasons, "; ")
	id, err := e.DB.AddConflict(ctx, crmdb.Conflict{CRMID: it.CRMID, PCID: o.PCID, Fields: fields, CRMVersion: crm,
		PartnerCentral: o.Record, Reason: reason})
	if err == nil {
		e.Log.Warn("conflict recorded", "conflict", id, "crmId", it.CRMID, "opportunity", o.PCID, "fields", fields, "reason", reason)
	}
	return err
}
