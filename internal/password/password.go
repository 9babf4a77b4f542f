// Package password hashes and checks passwords with argon2id and enforces the
// length rules. Hashes are PHC strings so parameters can change later.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// MinLength and MaxLength bound a password (in characters).
const (
	MinLength = 10
	MaxLength = 256
)

// Params are argon2id's cost settings. The defaults follow OWASP's minimum
// (19 MiB, 2 passes) to keep a login cheap on a 2-core box.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// Default is used for new hashes.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Validate returns a user-facing message for a password that breaks the rules.
func Validate(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return fmt.Errorf("Use at least %d characters.", MinLength)
	case n > MaxLength:
		return fmt.Errorf("Use at most %d characters.", MaxLength)
	}
	return nil
}

// Hash returns a PHC-format argon2id hash of pw.
func Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := Default
	key := deriveKey(pw, salt, p, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

var errMalformed = errors.New("malformed password hash")

// Check reports whether pw matches hash. An empty hash never matches.
func Check(hash, pw string) bool {
	ok, err := check(hash, pw)
	return err == nil && ok
}

func check(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errMalformed
	}
	// A stored hash names its own cost; one from an import or a tampered
	// row must not make a login allocate gigabytes or spin for minutes.
	if p.Memory == 0 || p.Memory > maxMemoryKiB || p.Time == 0 || p.Time > maxTime || p.Threads == 0 {
		return false, errMalformed
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errMalformed
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errMalformed
	}
	if len(want) > 64 {
		return false, errMalformed
	}
	got := deriveKey(pw, salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash lets a login for an unknown email cost as much as a real one, so
// response time does not reveal which emails exist. Computed on first use:
// hashing at program start would add its time and memory to every command.
// Limits on the cost a stored hash may ask for (Default is far below).
const (
	maxMemoryKiB = 256 * 1024
	maxTime      = 16
)

// hashSlots bounds the argon2id computations running at once. Each takes
// Default.Memory (19 MiB) and a core, so more at once than there are cores
// buys no throughput, only memory: a burst of logins queues here instead of
// pushing the process past its memory target.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// hashesRunning and hashesPeak let tests see the bound hold.
var hashesRunning, hashesPeak atomic.Int32

func deriveKey(pw string, salt []byte, p Params, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	now := hashesRunning.Add(1)
	defer func() {
		if hashesRunning.Add(-1) == 0 {
			// The last hash of a burst hands its 19 MiB back to the OS at
			// once instead of leaving it to the background scavenger: the
			// process's resident size stays where its real work needs it.
			go debug.FreeOSMemory()
		}
	}()
	for {
		peak := hashesPeak.Load()
		if now <= peak || hashesPeak.CompareAndSwap(peak, now) {
			break
		}
	}
	return argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, n)
}

var dummyHash = sync.OnceValue(func() string {
	h, _ := Hash("gatehouse-timing-equalizer")
	return h
})

// Equalize burns the time of one check.
func Equalize(pw string) { _, _ = check(dummyHash(), pw) }
