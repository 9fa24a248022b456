// Package ace is the file format of the legacy ACE S3 exchange (semantics.md §6): bucket and folder names,
// inbound file names, the JSON envelopes, the mapping between ACE records and the Selling API's types, the
// picklist and field validations AWS reports per record, outbound rendering and result files.
//
// It is pure: no I/O, no store, no clock. The reference tables AWS published (field list, picklists, postal
// code rules) are embedded from data/ and read once at init.
package ace
