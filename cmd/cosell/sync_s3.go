package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/syncer/acemode"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// s3Options are the flags of `cosell sync --mode s3`, the connector for
// partners on the legacy ACE S3 file exchange.
type s3Options struct {
	mode, bucket, spmsID, name *string
	tag                        *bool
	wait                       *time.Duration
	accept, reject, reason     *string
}

func s3Flags(fs *flag.FlagSet) *s3Options {
	return &s3Options{
		mode:   fs.String("mode", "api", "api: the Selling API; s3: the ACE S3 file exchange"),
		bucket: fs.String("bucket", envOr("COSELL_ACE_BUCKET", ""), "s3 mode: the ACE bucket (env COSELL_ACE_BUCKET); default ace-apn-{spms-id}-beta|prod-us-west-2 by --catalog"),
		spmsID: fs.String("spms-id", envOr("COSELL_SPMS_ID", ""), "s3 mode: the partner's ACE spmsId (env COSELL_SPMS_ID)"),
		name:   fs.String("file-name", "cosell", "s3 mode: the name inbound files start with: {name}-{n}_MMDDYYYYHHMMSS.json"),
		tag:    fs.Bool("tag-processed", false, "s3 mode: tag outbound files partner_processed=true before deleting them"),
		wait:   fs.Duration("wait", time.Minute, "s3 mode with --once: how long to wait for the results of the files sent (0: do not wait)"),
		accept: fs.String("accept-referral", "", "s3 mode: accept this pending AWS referral (its invitation id) in the cycle; the opportunity's CRM id is ace-{id}"),
		reject: fs.String("reject-referral", "", "s3 mode: reject this pending AWS referral (its invitation id) in the cycle, with --reason"),
		reason: fs.String("reason", "", `s3 mode: --reject-referral's reason, one of ACE's ("Customer problem unclear", ...)`),
	}
}

// s3OnlyFlag names a flag that was given although only the S3 mode reads
// it (their usage says "s3 mode"), or "" when there is none.
func s3OnlyFlag(fs *flag.FlagSet) string {
	var name string
	fs.Visit(func(f *flag.Flag) {
		if strings.HasPrefix(f.Usage, "s3 mode") {
			name = f.Name
		}
	})
	return name
}

// queueAnswer queues the referral answer the flags give, which the cycle
// then sends; the invitation must be a pending referral in the CRM.
func queueAnswer(ctx context.Context, o *s3Options, e *acemode.Engine) error {
	switch {
	case *o.accept != "" && *o.reject != "":
		return errors.New("--accept-referral and --reject-referral: give one")
	case *o.reject != "" && *o.reason == "":
		return errors.New("--reject-referral needs --reason")
	case *o.reject == "" && *o.reason != "":
		return errors.New("--reason goes with --reject-referral")
	case *o.accept != "":
		return e.AcceptReferral(ctx, *o.accept, "")
	case *o.reject != "":
		return e.RejectReferral(ctx, *o.reject, *o.reason)
	}
	return nil
}

// runSyncS3 is the S3 mode: once, or a cycle every pollEvery until ctx ends.
func runSyncS3(ctx context.Context, o *s3Options, dbPath, catalog string, once bool, pollEvery time.Duration, log *slog.Logger, stdout io.Writer) error {
	if *o.mode != "s3" {
		return fmt.Errorf("--mode %q: want api or s3", *o.mode)
	}
	bucket := *o.bucket
	if bucket == "" {
		if *o.spmsID == "" {
			return fmt.Errorf("s3 mode needs --bucket or --spms-id")
		}
		bucket = ace.BucketName(*o.spmsID, catalog)
	}
	if strings.HasPrefix(dbPath, "postgres://") || strings.HasPrefix(dbPath, "postgresql://") {
		return fmt.Errorf("s3 mode keeps its bookkeeping in SQLite only, for now: give --db a file")
	}
	client, err := acemode.NewS3Client(ctx)
	if err != nil {
		return err
	}
	db, err := crmdb.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	book, err := acemode.OpenBook(ctx, dbPath)
	if err != nil {
		return err
	}
	defer book.Close()
	e := &acemode.Engine{Bucket: acemode.Bucket{Client: client, Name: bucket}, DB: db, Book: book, Catalog: catalog,
		SpmsID: *o.spmsID, Name: *o.name, TagProcessed: *o.tag, Log: log}
	if err := queueAnswer(ctx, o, e); err != nil {
		return err
	}
	if !once {
		log.Info("sync running (S3 mode)", "bucket", bucket, "catalog", catalog, "db", dbPath, "pollEvery", pollEvery)
		err := e.Run(ctx, pollEvery)
		log.Info("sync stopped")
		return err
	}
	if err := e.SyncOnce(ctx); err != nil {
		return err
	}
	if *o.wait > 0 {
		waitCtx, cancel := context.WithTimeout(ctx, *o.wait)
		defer cancel()
		if err := e.AwaitResults(waitCtx, time.Second); err != nil {
			log.Warn("results not all in; the next run applies them", "err", err)
		}
	}
	if err := printStatus(ctx, db, catalog, stdout); err != nil {
		return err
	}
	_, own, err := e.Status(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "bucket:              %s\nawaiting results:    %d\nunreadable files:    %d\nrefused answers:     %d\n",
		bucket, own.AwaitingResults, own.Unreadable, own.FailedAnswers)
	return err
}
