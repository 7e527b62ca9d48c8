package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// The platform's message encryption: base64(AES-256-CBC(random(16) |
// big-endian length(4) | XML | AppID)), IV = key[:16], PKCS#7 padding to
// 32-byte blocks. The SDK's util.AESDecryptMsg checks only the last padding
// byte and allocates per call, so the webhook does its own, with a cipher
// built once per key and caller-supplied buffers.

const padBlock = 32

var (
	errBase64  = errors.New("Encrypt is not valid base64")
	errBlocks  = errors.New("ciphertext is not a whole number of AES blocks")
	errPadding = errors.New("bad PKCS#7 padding")
	errLength  = errors.New("length field does not fit the plaintext")
	errAppID   = errors.New("encrypted for another AppID")
)

// aesKey is one EncodingAESKey, ready to use.
type aesKey struct {
	block cipher.Block
	iv    []byte
}

func newAESKey(encoded string) (*aesKey, error) {
	key, err := decodeAESKey(encoded)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes key: %w", err)
	}
	return &aesKey{block: block, iv: key[:16]}, nil
}

// open decrypts ct (raw ciphertext) into dst and returns the XML inside,
// a sub-slice of dst, after checking the padding and the AppID.
func (k *aesKey) open(dst, ct []byte, appID string) ([]byte, error) {
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, errBlocks
	}
	pt := dst[:len(ct)]
	cipher.NewCBCDecrypter(k.block, k.iv).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > padBlock || pad > len(pt) {
		return nil, errPadding
	}
	for _, b := range pt[len(pt)-pad:] {
		if int(b) != pad {
			return nil, errPadding
		}
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, errLength
	}
	n := uint64(binary.BigEndian.Uint32(pt[16:20]))
	if 20+n > uint64(len(pt)) {
		return nil, errLength
	}
	if string(pt[20+n:]) != appID {
		return nil, errAppID
	}
	return pt[20 : 20+n], nil
}

// seal appends base64(ciphertext of msg) to dst, using buf as scratch.
func (k *aesKey) seal(dst, buf, msg []byte, appID string) (out, scratch []byte, err error) {
	n := 20 + len(msg) + len(appID)
	pad := padBlock - n%padBlock
	buf = grow(buf[:0], n+pad)
	if _, err := rand.Read(buf[:16]); err != nil {
		return dst, buf, fmt.Errorf("random prefix: %w", err)
	}
	binary.BigEndian.PutUint32(buf[16:20], uint32(len(msg)))
	copy(buf[20:], msg)
	copy(buf[20+len(msg):], appID)
	for i := n; i < n+pad; i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(k.block, k.iv).CryptBlocks(buf, buf)
	return base64.StdEncoding.AppendEncode(dst, buf), buf, nil
}

// decodeBase64 decodes src into buf, reusing it.
func decodeBase64(buf, src []byte) ([]byte, error) {
	buf = grow(buf[:0], base64.StdEncoding.DecodedLen(len(src)))
	n, err := base64.StdEncoding.Decode(buf, src)
	if err != nil {
		return buf, errBase64
	}
	return buf[:n], nil
}

// grow returns b resized to n bytes, reallocating only when too small.
func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n, n+n/4)
	}
	return b[:n]
}

// signature is the platform's sha1(sort(parts)) in hex, written to dst.
func signature(dst *[40]byte, parts ...[]byte) {
	// Insertion sort: three or four parts.
	var sorted [4][]byte
	s := sorted[:0]
	for _, p := range parts {
		i := len(s)
		s = append(s, p)
		for ; i > 0 && bytes.Compare(s[i-1], p) > 0; i-- {
			s[i] = s[i-1]
		}
		s[i] = p
	}
	h := sha1.New()
	for _, p := range s {
		h.Write(p)
	}
	var sum [sha1.Size]byte
	hex.Encode(dst[:], h.Sum(sum[:0]))
}

// validSignature compares got with the expected signature in constant
// time; an empty got never matches.
func validSignature(got []byte, parts ...[]byte) bool {
	var want [40]byte
	signature(&want, parts...)
	return len(got) == len(want) && subtle.ConstantTimeCompare(got, want[:]) == 1
}
