package web

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"gatehouse/internal/domain"
	"gatehouse/internal/mail"
)

// The grants' sweep (ARCHITECTURE.md, Time-bound grants): a goroutine the
// server owns, started by New and stopped by Close. Access never waits
// for it (every read judges the ends itself); it removes ended grants with
// their audit entries and mails the owners of an organization three days
// before one of its grants ends.

// sweepEvery is how often the sweep runs.
const sweepEvery = time.Minute

// GrantNotice is how long before a grant's end its owners are told.
const GrantNotice = 3 * 24 * time.Hour

type sweeper struct {
	stop chan struct{}
	done sync.WaitGroup
	once sync.Once
}

func (s *Server) startSweep() {
	s.sweep = &sweeper{stop: make(chan struct{})}
	if s.k.DB == nil { // a server made for its routes alone (tests)
		return
	}
	s.sweep.done.Add(1)
	go func() {
		defer s.sweep.done.Done()
		t := time.NewTicker(sweepEvery)
		defer t.Stop()
		for {
			select {
			case <-s.sweep.stop:
				return
			case <-t.C:
				if err := s.SweepGrants(context.Background()); err != nil {
					s.k.Log.Error("grant sweep", "err", err)
				}
			}
		}
	}()
}

// stopSweep stops the sweep and waits for a run in progress.
func (s *Server) stopSweep() {
	s.sweep.once.Do(func() { close(s.sweep.stop) })
	s.sweep.done.Wait()
}

// SweepGrants runs the sweep once (the goroutine's step; tests call it
// with a moved clock) and mails the notices it recorded.
func (s *Server) SweepGrants(ctx context.Context) error {
	_, notices, err := s.k.DB.SweepGrants(ctx, int64(GrantNotice/time.Second))
	if err != nil {
		return err
	}
	for _, n := range notices {
		at := strings.TrimPrefix(domain.UntilText(n.At), "until ")
		for _, to := range n.Owners {
			s.k.SendMail(mail.Message{To: to,
				Subject: fmt.Sprintf("%s: access of %s ends on %s", n.OrgName, n.Email, at),
				Text: strings.Join([]string{
					fmt.Sprintf("In %s, the %s of %s ends on %s.", n.OrgName, n.Label, n.Email, at),
					"From then on Gatehouse ignores it; to keep it, change its end on the member's page:",
					s.k.AbsURL(fmt.Sprintf("/o/%s/settings/members/%d/permissions", n.OrgSlug, n.MembershipID)),
				}, "\n\n")})
		}
	}
	return nil
}
