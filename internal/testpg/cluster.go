package testpg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"
)

// cluster is a PostgreSQL server this process started in a directory of
// its own, reachable only through the Unix socket in that directory.
type cluster struct {
	dir    string
	cmd    *exec.Cmd
	exited chan struct{} // closed when the server process has ended
	url    string
}

// binaries are the directory holding initdb and postgres.
type binaries string

// findBinaries looks on PATH, then in Debian's versioned directories.
func findBinaries() (binaries, error) {
	if initdb, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("postgres"); err == nil {
			return binaries(filepath.Dir(initdb)), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return binaries(dir), nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, postgres) on PATH or in /usr/lib/postgresql/*/bin")
}

// version reads the major version out of /usr/lib/postgresql/15/bin.
func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// startCluster initialises a cluster in a new temporary directory and
// starts its server. PostgreSQL refuses to run as root, so under root both
// run as the postgres system user (else nobody), who owns the directory.
func startCluster(bin binaries) (*cluster, error) {
	dir, err := os.MkdirTemp("", "cosell-testpg-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, exited: make(chan struct{})}
	cred, err := unprivileged(dir)
	if err == nil {
		err = c.initdb(bin, cred)
	}
	if err == nil {
		err = c.run(bin, cred)
	}
	if err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// unprivileged returns the credential to run PostgreSQL with (nil when not
// root) after giving dir to that user.
func unprivileged(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if u, err = user.Lookup("nobody"); err != nil {
			return nil, fmt.Errorf("testpg: running as root and neither a postgres nor a nobody user exists: %w", err)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *cluster) command(cred *syscall.Credential, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = c.dir // the test's working directory may be closed to the server's user
	cmd.SysProcAttr = sysProcAttr(cred)
	return cmd
}

func (c *cluster) initdb(bin binaries, cred *syscall.Credential) error {
	// Trust over the private socket; C locale and no fsync: a throwaway.
	cmd := c.command(cred, filepath.Join(string(bin), "initdb"), "-D", filepath.Join(c.dir, "data"),
		"-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("testpg: initdb: %v\n%s", err, out)
	}
	return nil
}

// run starts the server, listening on no TCP port (so no port can clash),
// and waits until it takes connections.
func (c *cluster) run(bin binaries, cred *syscall.Credential) error {
	logPath := filepath.Join(c.dir, "postgres.log")
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	c.cmd = c.command(cred, filepath.Join(string(bin), "postgres"), "-D", filepath.Join(c.dir, "data"),
		"-k", c.dir, "-c", "listen_addresses=", "-p", "5432",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	c.cmd.Stdout, c.cmd.Stderr = log, log
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("testpg: start postgres: %w", err)
	}
	go func() {
		_ = c.cmd.Wait()
		close(c.exited)
	}()
	c.url = (&url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/postgres",
		RawQuery: url.Values{"host": {c.dir}, "port": {"5432"}}.Encode()}).String()
	if err := c.waitReady(); err != nil {
		out, _ := os.ReadFile(logPath)
		return fmt.Errorf("testpg: postgres did not start: %v\n%s", err, out)
	}
	return nil
}

func (c *cluster) waitReady() error {
	db, err := sql.Open("pgx", c.url)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		if err = db.PingContext(ctx); err == nil {
			return nil
		}
		select {
		case <-c.exited:
			return errors.New("the server exited")
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop shuts the server down (fast mode: open sessions are ended) and
// removes its directory.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.exited:
		case <-time.After(20 * time.Second):
			_ = c.cmd.Process.Kill()
			<-c.exited
		}
	}
	_ = os.RemoveAll(c.dir)
}
