package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"gatehouse/internal/mail"
	"gatehouse/internal/store"
	"gatehouse/web"
)

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	dbPath := fs.String("db", defaultDB, "SQLite database file (created on first run)")
	baseURL := fs.String("base-url", "", "public URL of this server, used in mails and for subdomains (default http://localhost:PORT)")
	smtpURL := fs.String("smtp", "", "SMTP server for mail, smtp://user:pass@host:port (default: keep mail in the outbox)")
	geoip := fs.String("geoip", "", "MaxMind-format GeoIP city database for login locations")
	demo := fs.Bool("demo", false, "seed a demo organization on an empty database and print its logins")
	trustedProxy := fs.String("trusted-proxy", "", "reverse proxies, CIDR[,CIDR…]: the client address comes from X-Forwarded-For only on connections from these (default: none, the connection's address is the client)")
	maxActive := fs.Int("max-active", 0, "page reads handled at once, and four times as many writes, each in a queue of its own; more wait their turn in arrival order (default: the CPU cores, at least 2)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *maxActive < 0 || *maxActive > 4096 {
		return usageError{msg: fmt.Sprintf("--max-active: %d is not between 1 and 4096 (0: the CPU cores)", *maxActive)}
	}
	proxies, err := web.ParseTrustedProxies(*trustedProxy)
	if err != nil {
		return fmt.Errorf("--trusted-proxy: %w", err) // exit 1, before anything is opened
	}
	// Requests log from their own goroutines; none waits for stderr.
	logw := newLogWriter(stderr, logBuffer)
	defer logw.Close() // last: everything below may still log
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelInfo}))
	start := time.Now()
	tuneGC(getenv)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	if *baseURL == "" {
		*baseURL = "http://localhost:" + portOf(ln.Addr())
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()

	var sender mail.Sender = mail.NewOutboxSender(db, log)
	if *smtpURL != "" {
		cfg, err := mail.ParseSMTPURL(*smtpURL)
		if err != nil {
			return usageError{msg: "--smtp: " + err.Error()}
		}
		if cfg.From == "" {
			cfg.From = mail.DefaultFrom(*baseURL)
		}
		sender = mail.NewSMTPSender(cfg, mail.WithOutbox(db))
	}
	srv, err := web.New(web.Config{BaseURL: *baseURL, Logger: log, GeoIPPath: *geoip, MaxActive: *maxActive,
		TrustedProxies: proxies}, db, sender)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	defer srv.Close()
	if *demo {
		if err := seedDemo(ctx, db, *baseURL, stdout); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	if err := printSetupLink(ctx, db, *baseURL, stdout); err != nil { // first instance admin (admin.go)
		return fmt.Errorf("setup link: %w", err)
	}

	hs := newHTTPServer(srv.Handler(), log)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("gatehouse listening", "addr", ln.Addr().String(), "url", *baseURL, "db", *dbPath,
		"mail", mailMode(*smtpURL), "startup", time.Since(start).Round(time.Millisecond))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish, then close the database.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	srv.Wait()
	log.Info("stopped")
	return nil
}

// Timeouts of the HTTP server. A client that sends its headers slowly (or
// never) holds a connection and a goroutine: it is cut off after
// ReadHeader; a whole request (an 8 MiB upload included) must arrive within
// Read; the answer (a large CSV export, a save that queued for the writer)
// within Write; an idle keep-alive connection closes after Idle. A variable
// so tests can shrink them.
var serverTimeouts = struct{ ReadHeader, Read, Write, Idle time.Duration }{
	ReadHeader: 10 * time.Second,
	Read:       60 * time.Second,
	Write:      120 * time.Second,
	Idle:       120 * time.Second,
}

func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	t := serverTimeouts
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

// logBuffer is how much log output may wait for stderr before requests
// wait for it: about 7,000 request lines, a second or more of full load.
const logBuffer = 1 << 20

func portOf(a net.Addr) string {
	_, port, _ := net.SplitHostPort(a.String())
	return port
}

func mailMode(smtpURL string) string {
	if smtpURL == "" {
		return "outbox"
	}
	if i := strings.Index(smtpURL, "@"); i >= 0 {
		return "smtp://…" + smtpURL[i:]
	}
	return smtpURL
}

// tuneGC keeps a small instance small and a busy one from collecting
// garbage all the time. The soft limit makes the collector work harder as
// the heap nears it instead of letting the heap double under load, which
// keeps the process inside its memory target (64 MB peak RSS at 100,000
// members). It counts Go's memory only: SQLite's page caches and the
// binary come on top, about 25 MiB (the binary's pages alone are 19 MiB),
// hence 36 and not 64 (40 left the group save at 64 connections at
// 71.9–74.9 MiB; 36 with the readers' smaller SQLite caches, 59.2–62.1
// MiB; 32 gained nothing more). GOGC=300 spaces collections out while the live heap is a few megabytes (with the default
// 100 a busy server collected thirty times a second); once the live heap
// grows, the limit, not GOGC, decides when to collect. A/B load runs: as
// fast as the adaptive tuner it replaced, lower peak RSS (README,
// Performance). GOMEMLIMIT and GOGC, when set, win.
func tuneGC(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(36 << 20)
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// gcPercent is the GOGC used when the operator sets none.
const gcPercent = 300
