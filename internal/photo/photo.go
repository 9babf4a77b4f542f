// Package photo turns an uploaded profile photo into the small image Gatehouse
// stores: the upload is size-limited, sniffed, its declared dimensions are
// checked before any pixel is decoded (decompression bombs), then it is
// decoded, turned upright (JPEG EXIF orientation), center-cropped to a square,
// resized to 256×256 and re-encoded. The bytes sent by the user are never
// stored or served.
package photo

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"runtime/debug"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"gatehouse/internal/domain"
)

const (
	// MaxBytes is the largest upload accepted (5 MB).
	MaxBytes = 5 << 20
	// MaxSide and MaxPixels bound the declared dimensions: a few KB of PNG
	// can declare 50000×50000 pixels and ask for 10 GB of memory.
	MaxSide   = 8192
	MaxPixels = 4096 * 4096
	// Size is the side of the stored square image.
	Size = 256
)

// maxDecodeBytes bounds the memory one decode may take (the decoded pixels,
// and a progressive JPEG's coefficients), estimated from the header before
// any pixel is decoded. With one decode at a time (decodeSlots) and the
// resize working from a small intermediate, a photo upload adds at most
// about this plus the upload's bytes to the server's memory: the server
// runs under a 64 MiB RSS target with some 15 MiB to spare. 12 MiB reads
// an 8-megapixel JPEG photo, a 3-megapixel RGBA PNG and a 6-megapixel
// lossy WebP; larger images are refused with a message saying so.
const maxDecodeBytes = 12 << 20

// The reasons an upload is refused: invalid input on the form's photo
// field, with a message meant for the user (ARCHITECTURE.md, Errors).
var (
	ErrEmpty    = domain.Invalid("photo", "Choose an image file to upload.")
	ErrUpload   = domain.Invalid("photo", "The upload could not be read. Try again.")
	ErrTooLarge = domain.Invalid("photo", "The photo is larger than 5 MB. Choose a smaller file.")
	ErrNotImage = domain.Invalid("photo", "This file is not a PNG, JPEG or WebP image.")
	ErrCorrupt  = domain.Invalid("photo", "This image could not be read. It may be damaged; try another file.")
	ErrTooBig   = domain.Invalid("photo", "This image is too large (at most 16 megapixels and 8192 pixels a side).")
	ErrTooHeavy = domain.Invalid("photo", "This image has too many pixels to read safely. Scale it down (1000×1000 pixels is plenty for a profile photo) and upload it again.")
)

// Photo is the re-encoded image, ready to store and serve.
type Photo struct {
	Data        []byte
	ContentType string // "image/png" or "image/jpeg"
}

// decoders are the only formats accepted, chosen by sniffed content (never
// by file name or the client's Content-Type).
var decoders = map[string]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// decodeSlots lets one photo at a time through reading, decoding and
// resizing: the decoded image is by far the largest thing the server ever
// holds, and two at once would not fit its memory target. Uploads are
// rare; the next one waits its turn (or its request's end).
var decodeSlots = make(chan struct{}, 1)

func acquire(ctx context.Context) error {
	select {
	case decodeSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release() { <-decodeSlots }

// Process reads an upload (at most MaxBytes) and returns the stored form.
// Every rejection is an invalid *domain.Error. The upload is read inside the decode slot,
// so waiting uploads do not each hold a copy.
func Process(ctx context.Context, r io.Reader) (Photo, error) {
	if err := acquire(ctx); err != nil {
		return Photo{}, err
	}
	defer release()
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Photo{}, err
	}
	if len(data) > MaxBytes {
		return Photo{}, ErrTooLarge
	}
	return process(data)
}

// ProcessBytes is Process for an upload already in memory.
func ProcessBytes(ctx context.Context, data []byte) (Photo, error) {
	if len(data) > MaxBytes {
		return Photo{}, ErrTooLarge
	}
	if err := acquire(ctx); err != nil {
		return Photo{}, err
	}
	defer release()
	return process(data)
}

// collectAfter is the decode size past which the slot is handed on only
// after a collection that also returns the freed pages to the system: the
// next upload's decode is one large allocation, and without it the last
// image may not be freed yet, or its pages (of another size) still held,
// so two would count in memory at once. Uploads are rare; the few
// milliseconds are well spent.
const collectAfter = 4 << 20

// process runs in the decode slot.
func process(data []byte) (Photo, error) {
	img, cost, err := decodeChecked(data)
	if err != nil {
		return Photo{}, err
	}
	out := squareResize(img, Size)
	img = nil //nolint:ineffassign,wastedassign // the decoded image is garbage from here on
	if o := jpegOrientation(data); o > 1 {
		out = orient(out, o)
	}
	p, err := encode(out)
	if cost > collectAfter {
		debug.FreeOSMemory()
	}
	return p, err
}

// Decode validates and decodes an image with every check of Process (size,
// sniffed type, declared dimensions). It exists for the fuzz test and for
// callers that want the pixels.
func Decode(ctx context.Context, data []byte) (image.Image, error) {
	if len(data) > MaxBytes {
		return nil, ErrTooLarge
	}
	if err := acquire(ctx); err != nil {
		return nil, err
	}
	defer release()
	img, _, err := decodeChecked(data)
	return img, err
}

// decodeChecked decodes data after every check, and says what decoding it
// was estimated to cost.
func decodeChecked(data []byte) (image.Image, int64, error) {
	if len(data) == 0 {
		return nil, 0, ErrEmpty
	}
	kind := http.DetectContentType(data)
	dec, ok := decoders[kind]
	if !ok {
		return nil, 0, ErrNotImage
	}
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return nil, 0, ErrCorrupt
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, 0, ErrCorrupt
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, 0, ErrTooBig
	}
	cost := decodeCost(kind, data, cfg)
	if cost > maxDecodeBytes {
		return nil, 0, ErrTooHeavy
	}
	img, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		return nil, cost, ErrCorrupt
	}
	// The decoders must agree with the header checked above; refuse otherwise.
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, cost, ErrCorrupt
	}
	return img, cost, nil
}

// squareResize center-crops img to a square and scales it to size×size.
// Catmull-Rom keeps a buffer of size × (source side) × 32 bytes, 64 MiB
// for an 8192-pixel side, so it only scales sources up to twice size; a
// larger source is averaged down (boxShrink, a few KB besides the result),
// which for a shrink by two or more is as good.
func squareResize(img image.Image, size int) *image.RGBA {
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	x0 := b.Min.X + (b.Dx()-side)/2
	y0 := b.Min.Y + (b.Dy()-side)/2
	crop := image.Rect(x0, y0, x0+side, y0+side)
	if side >= 2*size {
		return boxShrink(img, crop, size)
	}
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, crop, draw.Src, nil)
	return dst
}

// boxShrink averages the square crop of img down to out×out pixels: each
// output pixel is the mean of the source pixels it covers, so nothing is
// skipped (no aliasing) and only one output row of sums is kept.
func boxShrink(img image.Image, crop image.Rectangle, out int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, out, out))
	at := pixelAt(img)
	side := crop.Dx()
	sums := make([][4]uint64, out)
	counts := make([]uint64, out)
	for oy := range out {
		y0, y1 := crop.Min.Y+oy*side/out, crop.Min.Y+(oy+1)*side/out
		clear(sums)
		clear(counts)
		for y := y0; y < y1; y++ {
			for ox := range out {
				x0, x1 := crop.Min.X+ox*side/out, crop.Min.X+(ox+1)*side/out
				acc := &sums[ox]
				for x := x0; x < x1; x++ {
					r, g, b, a := at(x, y)
					acc[0] += uint64(r)
					acc[1] += uint64(g)
					acc[2] += uint64(b)
					acc[3] += uint64(a)
				}
				counts[ox] += uint64(x1 - x0)
			}
		}
		row := dst.Pix[oy*dst.Stride:]
		for ox := range out {
			n := max(counts[ox], 1)
			for k := range 4 {
				row[ox*4+k] = uint8(sums[ox][k] / n >> 8)
			}
		}
	}
	return dst
}

// pixelAt reads a pixel as premultiplied 16-bit RGBA. The decoders' own
// types are read through their typed accessors: img.At boxes every color
// in an interface, millions of small allocations for one photo.
func pixelAt(img image.Image) func(x, y int) (r, g, b, a uint32) {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.YCbCrAt(x, y).RGBA() }
	case *image.NYCbCrA:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.NYCbCrAAt(x, y).RGBA() }
	case *image.NRGBA:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.NRGBAAt(x, y).RGBA() }
	case *image.NRGBA64:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.NRGBA64At(x, y).RGBA() }
	case *image.RGBA:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.RGBAAt(x, y).RGBA() }
	case *image.RGBA64:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.RGBA64At(x, y).RGBA() }
	case *image.Gray:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.GrayAt(x, y).RGBA() }
	case *image.Gray16:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.Gray16At(x, y).RGBA() }
	case *image.CMYK:
		return func(x, y int) (uint32, uint32, uint32, uint32) { return m.CMYKAt(x, y).RGBA() }
	case *image.Paletted:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			if i := int(m.ColorIndexAt(x, y)); i < len(m.Palette) {
				return m.Palette[i].RGBA()
			}
			return 0, 0, 0, 0
		}
	}
	return func(x, y int) (uint32, uint32, uint32, uint32) { return img.At(x, y).RGBA() }
}

// encode writes JPEG for opaque images (small) and PNG when there is
// transparency to keep.
func encode(img *image.RGBA) (Photo, error) {
	var buf bytes.Buffer
	if img.Opaque() {
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88}); err != nil {
			return Photo{}, err
		}
		return Photo{Data: buf.Bytes(), ContentType: "image/jpeg"}, nil
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return Photo{}, err
	}
	return Photo{Data: buf.Bytes(), ContentType: "image/png"}, nil
}

// ContentType names the type of stored photo bytes (always PNG or JPEG, as
// written by Process); anything else is served as an opaque download.
func ContentType(data []byte) string {
	switch ct := http.DetectContentType(data); ct {
	case "image/png", "image/jpeg":
		return ct
	}
	return "application/octet-stream"
}

// IsRejection reports whether err is a refusal meant for the user (as
// opposed to an I/O or context error).
func IsRejection(err error) bool { return domain.HasCode(err, domain.CodeInvalid) }
