package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/internal/testkit"
)

// gate is a destination that blocks every write until opened.
type gate struct {
	open chan struct{}
	testkit.LogBuffer
}

func newGate() *gate { return &gate{open: make(chan struct{})} }

func (g *gate) Write(p []byte) (int, error) {
	<-g.open
	return g.LogBuffer.Write(p)
}

// Every line arrives, whole and in each writer's order, once Close returns.
func TestLogWriterLinesArriveInOrder(t *testing.T) {
	var out testkit.LogBuffer
	w := newLogWriter(&out, 4096)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				fmt.Fprintf(w, "writer %d line %d\n", g, i)
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	next := map[string]int{}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8*500 {
		t.Fatalf("%d lines, want %d", len(lines), 8*500)
	}
	for _, l := range lines {
		var g, i int
		if _, err := fmt.Sscanf(l, "writer %d line %d", &g, &i); err != nil {
			t.Fatalf("torn line %q", l)
		}
		k := fmt.Sprint(g)
		if i != next[k] {
			t.Fatalf("writer %d: line %d after %d", g, i, next[k]-1)
		}
		next[k]++
	}
}

// A destination that does not take output does not hold up writers until
// the buffer is full; then they wait, and go on once it drains.
func TestLogWriterWaitsOnlyWhenTheBufferIsFull(t *testing.T) {
	g := newGate()
	w := newLogWriter(g, 4096)
	line := strings.Repeat("x", 1023) + "\n"
	done := make(chan struct{})
	go func() {
		for range 4 { // 4 KiB: within the limit (the first may be in flight)
			io.WriteString(w, line)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("writes within the limit waited for the destination")
	}
	blocked := make(chan struct{})
	go func() {
		for range 8 {
			io.WriteString(w, line)
		}
		close(blocked)
	}()
	select {
	case <-blocked:
		t.Fatal("writes past the limit did not wait for the destination")
	case <-time.After(100 * time.Millisecond):
	}
	close(g.open)
	select {
	case <-blocked:
	case <-time.After(5 * time.Second):
		t.Fatal("writers still wait after the destination took the output")
	}
	w.Close()
	if got := strings.Count(g.String(), "\n"); got != 12 {
		t.Fatalf("%d lines written, want 12", got)
	}
}

// After Close, writes go straight to the destination; Close again is fine.
func TestLogWriterWriteAfterClose(t *testing.T) {
	var out testkit.LogBuffer
	w := newLogWriter(&out, 4096)
	io.WriteString(w, "before\n")
	w.Close()
	if out.String() != "before\n" {
		t.Fatalf("after Close: %q", out.String())
	}
	io.WriteString(w, "after\n")
	if out.String() != "before\nafter\n" {
		t.Fatalf("a write after Close: %q", out.String())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
