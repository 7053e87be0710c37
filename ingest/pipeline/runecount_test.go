package pipeline

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRuneCount(t *testing.T) {
	for _, s := range []string{
		"", "a", "abcdefg", "abcdefgh", "abcdefghi",
		"héllo wörld, twelve+ bytes", "日本語のテキストです", "abcdefg\xff", "\xff\xfe\xfdabcdefghijk\xc3",
		strings.Repeat("plain ascii ", 40) + "é" + strings.Repeat("x", 9),
		"1234567é1234567\xe6\x97", // a rune cut short at the end
	} {
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzRuneCount(f *testing.F) {
	f.Add("abcdefghé\xffxyz")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	})
}

func BenchmarkRuneCount(b *testing.B) {
	s := strings.Repeat("The council voted on Tuesday to approve the budget. ", 60)
	b.SetBytes(int64(len(s)))
	b.Run("std", func(b *testing.B) {
		for b.Loop() {
			utf8.RuneCountInString(s)
		}
	})
	b.Run("ascii8", func(b *testing.B) {
		for b.Loop() {
			runeCount(s)
		}
	})
}
