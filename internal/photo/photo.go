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
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"runtime"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
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

// Error is a rejection with a message meant for the user.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

// The reasons an upload is refused.
var (
	ErrEmpty    = &Error{"Choose an image file to upload."}
	ErrUpload   = &Error{"The upload could not be read. Try again."}
	ErrTooLarge = &Error{"The photo is larger than 5 MB. Choose a smaller file."}
	ErrNotImage = &Error{"This file is not a PNG, JPEG or WebP image."}
	ErrCorrupt  = &Error{"This image could not be read. It may be damaged; try another file."}
	ErrTooBig   = &Error{"This image is too large (at most 16 megapixels and 8192 pixels a side)."}
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

// decodeSlots bounds concurrent decodes: each may briefly hold up to
// MaxPixels×4 bytes, so a burst of uploads cannot exhaust memory.
var decodeSlots = make(chan struct{}, max(2, runtime.NumCPU()/2))

// Process reads an upload (at most MaxBytes) and returns the stored form.
// Every rejection is an *Error.
func Process(ctx context.Context, r io.Reader) (Photo, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Photo{}, err
	}
	if len(data) > MaxBytes {
		return Photo{}, ErrTooLarge
	}
	return ProcessBytes(ctx, data)
}

// ProcessBytes is Process for an upload already in memory.
func ProcessBytes(ctx context.Context, data []byte) (Photo, error) {
	img, err := decodeChecked(ctx, data)
	if err != nil {
		return Photo{}, err
	}
	out := squareResize(img, Size)
	if o := jpegOrientation(data); o > 1 {
		out = orient(out, o)
	}
	return encode(out)
}

// Decode validates and decodes an image with every check of Process (size,
// sniffed type, declared dimensions). It exists for the fuzz test and for
// callers that want the pixels.
func Decode(ctx context.Context, data []byte) (image.Image, error) {
	if len(data) > MaxBytes {
		return nil, ErrTooLarge
	}
	return decodeChecked(ctx, data)
}

func decodeChecked(ctx context.Context, data []byte) (image.Image, error) {
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	dec, ok := decoders[http.DetectContentType(data)]
	if !ok {
		return nil, ErrNotImage
	}
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return nil, ErrCorrupt
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrCorrupt
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, ErrTooBig
	}
	select {
	case decodeSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-decodeSlots }()
	img, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrCorrupt
	}
	// The decoders must agree with the header checked above; refuse otherwise.
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, ErrCorrupt
	}
	return img, nil
}

// squareResize center-crops img to a square and scales it to size×size.
func squareResize(img image.Image, size int) *image.RGBA {
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	x0 := b.Min.X + (b.Dx()-side)/2
	y0 := b.Min.Y + (b.Dy()-side)/2
	crop := image.Rect(x0, y0, x0+side, y0+side)
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, crop, draw.Src, nil)
	return dst
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
func IsRejection(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
