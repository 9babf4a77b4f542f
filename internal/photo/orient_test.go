package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

// exifSegment builds an APP1 Exif segment holding one Orientation entry.
func exifSegment(order binary.ByteOrder, orientation uint16) []byte {
	var tiff bytes.Buffer
	if order == binary.LittleEndian {
		tiff.WriteString("II")
	} else {
		tiff.WriteString("MM")
	}
	w := func(v any) { binary.Write(&tiff, order, v) }
	w(uint16(42))
	w(uint32(8)) // IFD0 right after the header
	w(uint16(2)) // two entries: an unrelated one, then Orientation
	w(uint16(0x010F))
	w(uint16(2))
	w(uint32(4))
	w([4]byte{'A', 'c', 'm', 0})
	w(uint16(0x0112))
	w(uint16(3))
	w(uint32(1))
	w(orientation)
	w(uint16(0))
	w(uint32(0)) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// withExif inserts the segment right after the JPEG's SOI marker.
func withExif(jpg, seg []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func TestJPEGOrientation(t *testing.T) {
	jpg := jpegBytes(t, fill(8, 8, solid(red)))
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := uint16(1); o <= 8; o++ {
			if got := jpegOrientation(withExif(jpg, exifSegment(order, o))); got != int(o) {
				t.Errorf("%v orientation %d: got %d", order, o, got)
			}
		}
	}
	if got := jpegOrientation(jpg); got != 0 {
		t.Errorf("no EXIF: got %d", got)
	}
	if got := jpegOrientation(withExif(jpg, exifSegment(binary.BigEndian, 9))); got != 0 {
		t.Errorf("invalid value 9: got %d", got)
	}
	// Damaged segments are ignored, never read out of bounds.
	seg := exifSegment(binary.LittleEndian, 6)
	for cut := 4; cut < len(seg); cut++ {
		bad := append([]byte{}, seg[:cut]...)
		jpegOrientation(withExif(jpg, bad))
	}
	bigIFD := exifSegment(binary.LittleEndian, 6)
	binary.LittleEndian.PutUint32(bigIFD[4+6+4:], 0xFFFFFFF0)
	if got := jpegOrientation(withExif(jpg, bigIFD)); got != 0 {
		t.Errorf("IFD offset out of range: got %d", got)
	}
}

func TestProcessTurnsPhotosUpright(t *testing.T) {
	// Top half red, bottom half blue, as stored by a camera.
	src := fill(100, 100, func(_, y int) color.NRGBA {
		if y < 50 {
			return red
		}
		return blue
	})
	jpg := jpegBytes(t, src)
	// Where the red (stored top) half must end up.
	cases := []struct {
		orientation uint16
		redAt       image.Point
		blueAt      image.Point
	}{
		{1, image.Pt(128, 20), image.Pt(128, 235)},
		{3, image.Pt(128, 235), image.Pt(128, 20)},
		{6, image.Pt(235, 128), image.Pt(20, 128)},
		{8, image.Pt(20, 128), image.Pt(235, 128)},
	}
	for _, tc := range cases {
		p, err := ProcessBytes(context.Background(), withExif(jpg, exifSegment(binary.BigEndian, tc.orientation)))
		if err != nil {
			t.Fatal(err)
		}
		img := decodeOut(t, p)
		if c := img.At(tc.redAt.X, tc.redAt.Y); !near(c, red, 50) {
			t.Errorf("orientation %d: %v = %v, want red", tc.orientation, tc.redAt, c)
		}
		if c := img.At(tc.blueAt.X, tc.blueAt.Y); !near(c, blue, 50) {
			t.Errorf("orientation %d: %v = %v, want blue", tc.orientation, tc.blueAt, c)
		}
	}
}

func TestOrientAllEight(t *testing.T) {
	// A 3×3 image with distinct pixels; each orientation is a permutation
	// and applying the inverse gives the original back.
	src := image.NewRGBA(image.Rect(0, 0, 3, 3))
	for i := range 9 {
		src.Pix[i*4] = uint8(i + 1)
		src.Pix[i*4+3] = 255
	}
	inverse := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6}
	for o := 1; o <= 8; o++ {
		back := orient(orient(src, o), inverse[o])
		if !bytes.Equal(back.Pix, src.Pix) {
			t.Errorf("orientation %d then %d does not restore the image", o, inverse[o])
		}
	}
	// Orientation 6: the top-left pixel ends top-right.
	if got := orient(src, 6).Pix[src.PixOffset(2, 0)]; got != 1 {
		t.Errorf("orientation 6: top-right = %d, want 1 (was top-left)", got)
	}
}
