package photo

import (
	"encoding/binary"
	"image"
)

// jpegOrientation returns the EXIF Orientation (1-8) of a JPEG, or 0 when
// there is none. Phones store pictures sideways and set this tag; without it
// a portrait photo would come out rotated. Every offset is bounds-checked:
// the input is untrusted.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0
	}
	p := 2
	for p+4 <= len(data) {
		if data[p] != 0xFF {
			return 0
		}
		marker := data[p+1]
		if marker == 0xDA || marker == 0xD9 { // start of scan / end: no more headers
			return 0
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			return 0
		}
		seg := data[p+4 : p+2+n]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 0
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[ifd:]))
	for i := range count {
		e := ifd + 2 + i*12
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // Orientation, SHORT
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}

// orient applies an EXIF orientation to a square image, returning the
// upright picture. (Cropping the center square commutes with these
// rotations and flips, so it does not matter that the crop came first.)
func orient(src *image.RGBA, o int) *image.RGBA {
	n := src.Bounds().Dx()
	dst := image.NewRGBA(src.Bounds())
	last := n - 1
	for y := range n {
		for x := range n {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = last-x, y
			case 3: // upside down
				sx, sy = last-x, last-y
			case 4: // mirrored upside down
				sx, sy = x, last-y
			case 5: // mirrored, turned
				sx, sy = y, x
			case 6: // needs a quarter turn clockwise
				sx, sy = y, last-x
			case 7:
				sx, sy = last-y, last-x
			case 8: // needs a quarter turn counter-clockwise
				sx, sy = last-y, x
			default:
				sx, sy = x, y
			}
			si, di := src.PixOffset(sx, sy), dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}
