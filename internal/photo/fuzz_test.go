package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"os"
	"testing"
)

// FuzzDecode feeds arbitrary bytes through the whole pipeline: it must never
// panic, never accept more than the limits, and whatever it accepts must come
// out as a decodable 256×256 PNG or JPEG.
func FuzzDecode(f *testing.F) {
	small := pngBytes(f, fill(3, 2, solid(red)))
	jpg := jpegBytes(f, fill(5, 7, solid(blue)))
	f.Add(small)
	f.Add(jpg)
	f.Add(withExif(jpg, exifSegment(binary.LittleEndian, 6)))
	f.Add(pngWithSize(f, 50000, 50000))
	f.Add(small[:len(small)-5])
	f.Add([]byte("not an image"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	for _, name := range []string{"blue-purple-pink.lossy.webp", "gopher-doc.with-alpha.lossless.webp"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		img, err := Decode(ctx, data)
		if err != nil {
			if !IsRejection(err) {
				t.Fatalf("non-rejection error %v", err)
			}
			return
		}
		b := img.Bounds()
		if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx() > MaxSide || b.Dy() > MaxSide || b.Dx()*b.Dy() > MaxPixels {
			t.Fatalf("accepted an image of %v", b)
		}
		p, err := ProcessBytes(ctx, data)
		if err != nil {
			t.Fatalf("decoded but not processed: %v", err)
		}
		out, _, err := image.Decode(bytes.NewReader(p.Data))
		if err != nil {
			t.Fatalf("output does not decode: %v", err)
		}
		if out.Bounds() != image.Rect(0, 0, Size, Size) {
			t.Fatalf("output bounds %v", out.Bounds())
		}
		if ct := ContentType(p.Data); ct != p.ContentType {
			t.Fatalf("stored type %s sniffs as %s", p.ContentType, ct)
		}
	})
}
