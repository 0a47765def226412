// Package secrets encrypts provider secrets at rest with AES-256-GCM.
//
// A ciphertext is "hb1" | key id (4 bytes) | nonce (12) | sealed data. The key
// id lets a Box decrypt with a previous key during rotation: set the new
// HRBRIDGE_SECRET_KEY, keep the old one in HRBRIDGE_SECRET_KEY_PREVIOUS, and
// the server re-encrypts stored secrets at start (docs/operations.md).
package secrets

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var magic = []byte("hb1")

// ErrUnknownKey means the ciphertext was made with a key this Box lacks.
var ErrUnknownKey = errors.New("secret was encrypted with an unknown key (set HRBRIDGE_SECRET_KEY_PREVIOUS to the old key)")

// Box encrypts with its current key and decrypts with any of its keys.
type Box struct {
	current key
	keys    map[[4]byte]key
}

type key struct {
	id   [4]byte
	aead cipher.AEAD
}

// New builds a Box from the current key and any previous ones. A key is 64
// hex characters (32 bytes); any other string is stretched with SHA-256, so a
// passphrase also works.
func New(current string, previous ...string) (*Box, error) {
	b := &Box{keys: map[[4]byte]key{}}
	for i, s := range append([]string{current}, previous...) {
		s = strings.TrimSpace(s)
		if s == "" {
			if i == 0 {
				return nil, errors.New("empty secret key")
			}
			continue
		}
		raw, err := hex.DecodeString(s)
		if err != nil || len(raw) != 32 {
			sum := sha256.Sum256([]byte(s))
			raw = sum[:]
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		idSum := sha256.Sum256(append([]byte("hrbridge key id:"), raw...))
		k := key{aead: aead}
		copy(k.id[:], idSum[:4])
		if i == 0 {
			b.current = k
		}
		b.keys[k.id] = k
	}
	return b, nil
}

// Encrypt seals plaintext with the current key.
func (b *Box) Encrypt(plaintext string) ([]byte, error) {
	nonce := make([]byte, b.current.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append(append(append([]byte{}, magic...), b.current.id[:]...), nonce...)
	return b.current.aead.Seal(out, nonce, []byte(plaintext), magic), nil
}

// Decrypt opens a ciphertext made by Encrypt with any known key.
func (b *Box) Decrypt(ct []byte) (string, error) {
	if !bytes.HasPrefix(ct, magic) || len(ct) < len(magic)+4+12 {
		return "", errors.New("not an hrbridge ciphertext")
	}
	var id [4]byte
	copy(id[:], ct[len(magic):])
	k, ok := b.keys[id]
	if !ok {
		return "", ErrUnknownKey
	}
	rest := ct[len(magic)+4:]
	n := k.aead.NonceSize()
	pt, err := k.aead.Open(nil, rest[:n], rest[n:], magic)
	if err != nil {
		return "", fmt.Errorf("decrypt secret: %w", err)
	}
	return string(pt), nil
}

// IsCurrent reports whether ct was sealed with the current key.
func (b *Box) IsCurrent(ct []byte) bool {
	return len(ct) >= len(magic)+4 && bytes.Equal(ct[len(magic):len(magic)+4], b.current.id[:])
}

// LoadOrCreateKeyFile returns the key in dir/secret.key, creating it (random,
// mode 0600) when absent: the default when HRBRIDGE_SECRET_KEY is not set.
func LoadOrCreateKeyFile(dir string) (string, error) {
	path := filepath.Join(dir, "secret.key")
	if data, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(data)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	k := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another instance won the race
		return LoadOrCreateKeyFile(dir)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(k + "\n"); err != nil {
		f.Close()
		return "", err
	}
	return k, f.Close()
}
