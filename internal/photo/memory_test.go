package photo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// largestUploads are the costliest uploads each format allows: the biggest
// image the limits accept, small enough on disk to pass MaxBytes.
func largestUploads(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	side := func(cost16 int64) int { // largest square within the limits, cost16/16 bytes a pixel
		s := MaxSide
		for s*s > MaxPixels || int64(s)*int64(s)*cost16/16 > maxDecodeBytes {
			s -= 8
		}
		return s
	}
	gradient := func(img interface{ Set(int, int, color.Color) }, w, h int) {
		for y := range h {
			for x := range w {
				img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), uint8(128 + x%64)})
			}
		}
	}
	enc := func(img image.Image) []byte {
		var b bytes.Buffer
		e := png.Encoder{CompressionLevel: png.BestCompression}
		if err := e.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	s := side(128)
	img64 := image.NewNRGBA64(image.Rect(0, 0, s, s))
	gradient(img64, s, s)
	out["png 16-bit RGBA "+strconv.Itoa(s)+"²"] = enc(img64)
	s = side(64)
	img := image.NewNRGBA(image.Rect(0, 0, s, s))
	gradient(img, s, s)
	out["png RGBA "+strconv.Itoa(s)+"²"] = enc(img)
	s = side(24)
	opaque := image.NewRGBA(image.Rect(0, 0, s, s))
	for y := range s {
		for x := range s {
			opaque.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, opaque, &jpeg.Options{Quality: 60}); err != nil {
		t.Fatal(err)
	}
	out["jpeg 4:2:0 "+strconv.Itoa(s)+"²"] = jb.Bytes()
	for name, b := range out {
		if len(b) > MaxBytes {
			t.Fatalf("%s fixture is %d bytes, over MaxBytes", name, len(b))
		}
	}
	return out
}

// maxHeapAdded is the most heap the uploads may add: one decode, one
// upload's copy, and a little for the resize and the encoder.
const maxHeapAdded = maxDecodeBytes + MaxBytes + 4<<20

func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

// TestConcurrentLargestUploadsMemory sends 4 of each costliest upload at
// once and measures what they add: the heap in use (runtime.MemStats,
// sampled every millisecond) under the server's collector settings, and
// the peak RSS of a fresh process that does nothing else (the fixtures
// are made here and decoded in a child process, so making them does not
// count).
func TestConcurrentLargestUploadsMemory(t *testing.T) {
	if dir := os.Getenv("GATEHOUSE_PHOTO_MEMORY_CHILD"); dir != "" {
		memoryChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("memory measurement")
	}
	dir := t.TempDir()
	uploads := largestUploads(t)
	i := 0
	for name, b := range uploads {
		t.Logf("%s: %d KB upload", name, len(b)>>10)
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)), b, 0o600); err != nil {
			t.Fatal(err)
		}
		i++
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentLargestUploadsMemory$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "GATEHOUSE_PHOTO_MEMORY_CHILD="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var result string
	for _, line := range strings.Split(string(out), "\n") {
		if _, r, ok := strings.Cut(line, "MEMORY "); ok {
			result = r
		}
	}
	if result == "" {
		t.Fatalf("child reported nothing:\n%s", out)
	}
	t.Log(result)
}

func memoryChild(t *testing.T, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var uploads [][]byte
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		uploads = append(uploads, b)
	}
	// The server's collector settings (serve: a 36 MiB soft memory limit),
	// or the limit given, to see how little the decoding needs.
	limit := int64(36 << 20)
	if v, err := strconv.ParseInt(os.Getenv("GATEHOUSE_PHOTO_MEMORY_LIMIT_MIB"), 10, 64); err == nil {
		limit = v << 20
	}
	debug.SetMemoryLimit(limit)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	hwm0 := vmHWM()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	for _, data := range uploads {
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := Process(context.Background(), bytes.NewReader(data)); err != nil {
					t.Errorf("upload refused: %v", err)
				}
			}()
		}
	}
	wg.Wait()
	close(stop)
	sampler.Wait()
	added := int64(peak.Load()) - int64(base.HeapInuse)
	hwm := vmHWM()
	t.Logf("MEMORY memory limit %d MiB, %d concurrent largest uploads in %v: peak heap in use %.1f MiB (%.1f MiB over the %.1f MiB before); "+
		"peak RSS %.1f MiB (%.1f MiB before, %.1f MiB added)",
		limit>>20, 4*len(uploads), time.Since(start).Round(time.Millisecond), float64(peak.Load())/(1<<20), float64(added)/(1<<20),
		float64(base.HeapInuse)/(1<<20), float64(hwm)/(1<<20), float64(hwm0)/(1<<20), float64(hwm-hwm0)/(1<<20))
	if added > maxHeapAdded {
		t.Errorf("decoding added %.1f MiB to the heap, want at most %.1f MiB", float64(added)/(1<<20), float64(maxHeapAdded)/(1<<20))
	}
	// Freed spans the allocator has not reused or returned yet count in RSS.
	if hwm > 0 && hwm-hwm0 > maxHeapAdded+4<<20 {
		t.Errorf("decoding added %.1f MiB to the peak RSS", float64(hwm-hwm0)/(1<<20))
	}
}

// jpegHeader is the start of a JPEG up to its frame header: marker, then
// components with their sampling factors.
func jpegHeader(marker byte, w, h int, sampling ...byte) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 'J', 'F'} // SOI, a short APP0
	seg := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(len(sampling))}
	for i, s := range sampling {
		seg = append(seg, byte(i+1), s, 0)
	}
	n := len(seg) + 2
	return append(append(b, 0xFF, marker, byte(n>>8), byte(n)), seg...)
}

func TestDecodeCost(t *testing.T) {
	const px = 1000 * 1000
	cases := []struct {
		name string
		data []byte
		want int64
	}{
		{"baseline 4:2:0", jpegHeader(0xC0, 1000, 1000, 0x22, 0x11, 0x11), px * 3 / 2},
		{"baseline 4:4:4", jpegHeader(0xC0, 1000, 1000, 0x11, 0x11, 0x11), px * 3},
		{"baseline gray", jpegHeader(0xC0, 1000, 1000, 0x11), px},
		{"progressive 4:2:0 keeps its coefficients", jpegHeader(0xC2, 1000, 1000, 0x22, 0x11, 0x11), px*3/2 + px*6},
		{"CMYK", jpegHeader(0xC0, 1000, 1000, 0x11, 0x11, 0x11, 0x11), px * 8},
		{"no frame header", []byte{0xFF, 0xD8, 0xFF, 0xD9}, px * 16},
	}
	for _, c := range cases {
		if got := decodeCost("image/jpeg", c.data, image.Config{Width: 1000, Height: 1000}); got != c.want {
			t.Errorf("%s: cost %d, want %d", c.name, got, c.want)
		}
	}
	cfg := image.Config{Width: 1000, Height: 1000, ColorModel: color.NRGBA64Model}
	if got := decodeCost("image/png", make([]byte, 40), cfg); got != px*8 {
		t.Errorf("16-bit PNG: %d", got)
	}
	interlaced := make([]byte, 40)
	interlaced[28] = 1
	if got := decodeCost("image/png", interlaced, cfg); got != px*16 {
		t.Errorf("interlaced 16-bit PNG: %d", got)
	}
	// A progressive 2000×2000 photo is refused before decoding.
	if cost := decodeCost("image/jpeg", jpegHeader(0xC2, 2000, 2000, 0x22, 0x11, 0x11), image.Config{Width: 2000, Height: 2000}); cost <= maxDecodeBytes {
		t.Errorf("progressive 4 MP JPEG costs %d, under the limit", cost)
	}
}
