package dedupe

// A blockFilter is a split block Bloom filter, the layout of Parquet's
// filters: a key sets one bit in each of the eight 32-bit words of one
// 32-byte block, so adding or checking a key touches one cache line. Keys
// must be well mixed already, as bandKeys are: the high half picks the
// block, the low half the bits.
type blockFilter []filterBlock

type filterBlock [8]uint32

// newBlockFilter returns an empty filter of bitsPerKey bits for each of
// keys keys, one block at least.
func newBlockFilter(keys, bitsPerKey int) blockFilter {
	const blockBits = 8 * 32
	return make(blockFilter, max(1, (keys*bitsPerKey+blockBits-1)/blockBits))
}

func (f blockFilter) block(key uint64) *filterBlock {
	return &f[(key>>32)*uint64(len(f))>>32]
}

// The salts of the Parquet specification spread a key's low 32 bits over
// the eight words.
const (
	salt0 = 0x47b6137b
	salt1 = 0x44974d91
	salt2 = 0x8824ad5b
	salt3 = 0xa2b7289d
	salt4 = 0x705495c7
	salt5 = 0x2df1424b
	salt6 = 0x9efc4947
	salt7 = 0x5c6bfb31
)

// bit is the bit that x sets in the word of salt.
func bit(x, salt uint32) uint32 { return 1 << (x * salt >> 27) }

func (f blockFilter) insert(key uint64) {
	b, x := f.block(key), uint32(key)
	b[0] |= bit(x, salt0)
	b[1] |= bit(x, salt1)
	b[2] |= bit(x, salt2)
	b[3] |= bit(x, salt3)
	b[4] |= bit(x, salt4)
	b[5] |= bit(x, salt5)
	b[6] |= bit(x, salt6)
	b[7] |= bit(x, salt7)
}

// check reports whether key may have been inserted: false means it was
// not. The bits are tested all at once, without a branch each, as most
// keys checked are absent and would mispredict.
func (f blockFilter) check(key uint64) bool {
	b, x := f.block(key), uint32(key)
	return bit(x, salt0)&^b[0]|bit(x, salt1)&^b[1]|
		bit(x, salt2)&^b[2]|bit(x, salt3)&^b[3]|
		bit(x, salt4)&^b[4]|bit(x, salt5)&^b[5]|
		bit(x, salt6)&^b[6]|bit(x, salt7)&^b[7] == 0
}
