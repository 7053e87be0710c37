package dedupe

import (
	"strings"
	"testing"
)

func TestIsCaption(t *testing.T) {
	for p, want := range map[string]bool{
		"Minister Ola Varn, left, and harbour master Elin Brask walk along the damaged quay in Harbourton, June 3. (Meridian Photo/Tomas Lind)": true,
		"Volunteers fill sandbags by the river. (AP Photo/Jane Doe, File)":                                                                      true,
		"Flood water covers the square. (Getty Images)":                                                                                         true,
		"The lighthouse at dusk. Photograph: Anna Berg/North Gazette":                                                                           true,
		"The council met on Tuesday (its third meeting this month).":                                                                            false,
		"The port authority (which runs both terminals) said fees would not change, and the works would start in July":                          false,
		"(Photo)": false,
	} {
		if got := IsCaption(p); got != want {
			t.Errorf("IsCaption(%q) = %v, want %v", p, got, want)
		}
	}
}

const (
	storyA = "The port authority of Harbourton said on Tuesday that it would close the northern quay for six weeks from July while engineers replace the sea wall.\n\nShipping lines were told that berthing slots would be cut by a third during the works, and that fees would not change for any of them."
	storyB = "The regional council of Marrowby voted on Monday to spend eleven million crowns on new flood barriers along the river after the second flood in a decade.\n\nResidents who were moved to the school hall last week will return to their homes on Friday, the mayor told a meeting of the council."
	photo1 = "Engineers inspect the damaged sea wall at the northern quay in Harbourton, June 3, 2024. (Meridian Photo/Tomas Lind)"
	photo2 = "Minister Ola Varn, left, and harbour master Elin Brask talk to reporters by the river on Monday morning. (Meridian Photo/Tomas Lind)"
)

// TestCaptionsLeftOut: two different stories carrying the same photos
// share nothing; a gallery of those photos is contained in neither story,
// but a copy of the gallery is its duplicate.
func TestCaptionsLeftOut(t *testing.T) {
	a := storyA + "\n\n" + photo1 + "\n\n" + photo2
	b := photo1 + "\n\n" + storyB + "\n\n" + photo2
	if j, c := Compare(Shingles(a, 5), Shingles(b, 5)); j != 0 || c != 0 {
		t.Errorf("two stories sharing photos: jaccard %.2f containment %.2f, want 0", j, c)
	}
	if got, want := Shingles(a, 5), Shingles(storyA, 5); !equal(got, want) {
		t.Error("a story's shingles include its captions")
	}
	gallery := photo1 + "\n\n" + photo2
	if _, c := Compare(Shingles(gallery, 5), Shingles(a, 5)); c != 0 {
		t.Errorf("a gallery is contained in a story carrying its photos: containment %.2f", c)
	}
	if j, _ := Compare(Shingles(gallery, 5), Shingles(gallery+"\n\nShare", 5)); j < 0.9 {
		t.Errorf("two copies of a gallery: jaccard %.2f", j)
	}
	// Fingerprint agrees with Shingles.
	set, _ := Fingerprint(a, 5)
	if !equal(set.Sorted(), Shingles(a, 5)) {
		t.Error("Fingerprint and Shingles disagree on a text with captions")
	}
	if withoutCaptions(storyA) != storyA || !strings.Contains(withoutCaptions(gallery), "Tomas Lind") {
		t.Error("withoutCaptions changed a text without captions, or emptied a gallery")
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
