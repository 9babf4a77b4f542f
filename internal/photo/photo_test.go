package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"testing"
)

// fill paints a w×h image with f(x, y).
func fill(w, h int, f func(x, y int) color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, f(x, y))
		}
	}
	return img
}

func solid(c color.NRGBA) func(int, int) color.NRGBA { return func(int, int) color.NRGBA { return c } }

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
)

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// PNGWithSize returns a valid tiny PNG whose IHDR claims w×h (CRC fixed up),
// the classic decompression bomb header.
func pngWithSize(t testing.TB, w, h uint32) []byte {
	t.Helper()
	b := pngBytes(t, fill(1, 1, solid(red)))
	// Signature (8), then IHDR: length (4), "IHDR" (4), width, height, ...
	if string(b[12:16]) != "IHDR" {
		t.Fatal("unexpected PNG layout")
	}
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func decodeOut(t *testing.T, p Photo) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if "image/"+format != p.ContentType {
		t.Fatalf("content type %q but data is %s", p.ContentType, format)
	}
	if b := img.Bounds(); b.Dx() != Size || b.Dy() != Size {
		t.Fatalf("output is %v, want %d×%d", b, Size, Size)
	}
	return img
}

// near reports whether c is within tol of want on each channel (JPEG is lossy).
func near(c color.Color, want color.NRGBA, tol int) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) bool { return abs(int(a)-int(b)) <= tol }
	return d(n.R, want.R) && d(n.G, want.G) && d(n.B, want.B) && d(n.A, want.A)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestProcessCropsCenterAndResizes(t *testing.T) {
	// 300×100: red | green | blue thirds. The center square is all green.
	src := fill(300, 100, func(x, _ int) color.NRGBA {
		switch {
		case x < 100:
			return red
		case x < 200:
			return green
		}
		return blue
	})
	for name, data := range map[string][]byte{"png": pngBytes(t, src), "jpeg": jpegBytes(t, src)} {
		t.Run(name, func(t *testing.T) {
			p, err := ProcessBytes(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			if p.ContentType != "image/jpeg" {
				t.Errorf("opaque input stored as %s, want image/jpeg", p.ContentType)
			}
			img := decodeOut(t, p)
			for _, pt := range []image.Point{{0, 0}, {255, 0}, {128, 128}, {0, 255}, {255, 255}} {
				if c := img.At(pt.X, pt.Y); !near(c, green, 40) {
					t.Errorf("pixel %v = %v, want green (center crop)", pt, c)
				}
			}
		})
	}
}

func TestProcessTallImageKeepsMiddle(t *testing.T) {
	src := fill(50, 150, func(_, y int) color.NRGBA {
		if y >= 50 && y < 100 {
			return blue
		}
		return red
	})
	p, err := ProcessBytes(context.Background(), pngBytes(t, src))
	if err != nil {
		t.Fatal(err)
	}
	img := decodeOut(t, p)
	if c := img.At(10, 10); !near(c, blue, 40) {
		t.Errorf("top-left = %v, want blue", c)
	}
}

func TestProcessKeepsTransparencyAsPNG(t *testing.T) {
	src := fill(64, 64, func(x, _ int) color.NRGBA {
		if x < 32 {
			return color.NRGBA{}
		}
		return red
	})
	p, err := ProcessBytes(context.Background(), pngBytes(t, src))
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/png" {
		t.Fatalf("transparent input stored as %s, want image/png", p.ContentType)
	}
	img := decodeOut(t, p)
	if _, _, _, a := img.At(5, 128).RGBA(); a != 0 {
		t.Errorf("left side alpha = %d, want transparent", a)
	}
	if c := img.At(250, 128); !near(c, red, 2) {
		t.Errorf("right side = %v, want red", c)
	}
}

func TestProcessWebP(t *testing.T) {
	for _, f := range []string{"blue-purple-pink.lossy.webp", "gopher-doc.with-alpha.lossless.webp"} {
		t.Run(f, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ProcessBytes(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			decodeOut(t, p)
			if bytes.HasPrefix(p.Data, []byte("RIFF")) {
				t.Error("WebP stored as sent; want re-encoded")
			}
		})
	}
}

func TestProcessRejects(t *testing.T) {
	good := pngBytes(t, fill(10, 10, solid(red)))
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, fill(4, 4, solid(red)), nil); err != nil {
		t.Fatal(err)
	}
	tooBig := make([]byte, MaxBytes+1)
	copy(tooBig, good) // a real PNG header does not make it small enough
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"5 MB + 1 byte", tooBig, ErrTooLarge},
		{"text", []byte("hello, I am not a picture\n"), ErrNotImage},
		{"html", []byte("<html><body><script>alert(1)</script></body></html>"), ErrNotImage},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ErrNotImage},
		{"gif (not offered)", gifBuf.Bytes(), ErrNotImage},
		{"truncated png", good[:len(good)/2], ErrCorrupt},
		{"png signature only", good[:8], ErrCorrupt},
		{"bomb 50000×50000", pngWithSize(t, 50000, 50000), ErrTooBig},
		{"too wide 9000×10", pngWithSize(t, 9000, 10), ErrTooBig},
		{"17 megapixels 4200×4100", pngWithSize(t, 4200, 4100), ErrTooBig},
		{"4 megapixels of RGBA (16 MB decoded)", pngWithSize(t, 2000, 2000), ErrTooHeavy},
		{"zero width", pngWithSize(t, 0, 10), ErrCorrupt},
		{"header says 2×2, data is 1×1", pngWithSize(t, 2, 2), ErrCorrupt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Process(context.Background(), bytes.NewReader(tc.data))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !IsRejection(err) {
				t.Errorf("IsRejection(%v) = false", err)
			}
		})
	}
}

func TestProcessAcceptsLargeValidUpload(t *testing.T) {
	// Noise does not compress: a 1100×1000 RGBA PNG is a few MB, under 5 MB.
	rng := rand.New(rand.NewPCG(1, 2))
	src := fill(1100, 1000, func(int, int) color.NRGBA {
		return color.NRGBA{uint8(rng.Uint32()), uint8(rng.Uint32()), uint8(rng.Uint32()), 255}
	})
	data := pngBytes(t, src)
	if len(data) < 3<<20 || len(data) > MaxBytes {
		t.Fatalf("fixture is %d bytes; want between 3 MB and 5 MB", len(data))
	}
	p, err := Process(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	decodeOut(t, p)
	if len(p.Data) > 200<<10 {
		t.Errorf("stored photo is %d bytes; want small", len(p.Data))
	}
}

func TestProcessHonorsCanceledContextWhenBusy(t *testing.T) {
	// Fill every decode slot, then a canceled request must not wait forever.
	for range cap(decodeSlots) {
		decodeSlots <- struct{}{}
	}
	defer func() {
		for range cap(decodeSlots) {
			<-decodeSlots
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ProcessBytes(ctx, pngBytes(t, fill(4, 4, solid(red))))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if IsRejection(err) {
		t.Error("a canceled request is not the user's fault")
	}
}

func TestContentType(t *testing.T) {
	if got := ContentType(pngBytes(t, fill(2, 2, solid(red)))); got != "image/png" {
		t.Errorf("png: %s", got)
	}
	if got := ContentType(jpegBytes(t, fill(2, 2, solid(red)))); got != "image/jpeg" {
		t.Errorf("jpeg: %s", got)
	}
	if got := ContentType([]byte("<html>")); got != "application/octet-stream" {
		t.Errorf("html: %s", got)
	}
}
