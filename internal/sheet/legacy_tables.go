package sheet

// Conversion tables for the two legacy Vietnamese font encodings still found
// in spreadsheets made before Unicode took over (and in the templates some
// offices keep copying).
//
// TCVN3 ("ABC", the .VnTime/.VnArial fonts) is the VN3 subset of the national
// standard TCVN 5712:1993: one byte per letter, lower-case toned letters at
// 0xB5–0xFE, the seven base capitals Ă Â Ê Ô Ơ Ư Đ at 0xA1–0xA7 and their
// small forms at 0xA8–0xAE. The byte values below are those of the standard;
// they agree with the TCVN5712-1 charmap of GNU libc and with Unikey's
// converter over these positions. Toned capitals have no code of their own in
// VN3 (the ".VnTimeH" fonts draw the small codes as capitals), so converted
// text gets them back only where the rest of the word is in capitals.
//
// VNI (the "VNI-Times" fonts of VNI Software) writes a toned vowel as the
// plain ASCII vowel followed by one Windows-1252 character standing for its
// marks ("Vieät" is "Việt"); ơ, ư, đ and the toned i, ỵ have single
// characters. The table follows VNI Software's published VNI-Windows code
// chart, as used by Unikey and VietKey.
//
// Both are written here as the Unicode characters a Windows-1252 system shows
// for the bytes, because that is what an Excel cell set in such a font holds
// and what a CSV saved from it contains.

// tcvn3Table maps a TCVN3 byte (0xA1–0xFE) to its letter.
var tcvn3Table = map[byte]rune{
	0xA1: 'Ă', 0xA2: 'Â', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư', 0xA7: 'Đ',
	0xA8: 'ă', 0xA9: 'â', 0xAA: 'ê', 0xAB: 'ô', 0xAC: 'ơ', 0xAD: 'ư', 0xAE: 'đ',

	// grave, hook above, tilde, acute, dot below
	0xB5: 'à', 0xB6: 'ả', 0xB7: 'ã', 0xB8: 'á', 0xB9: 'ạ', // a
	0xBB: 'ằ', 0xBC: 'ẳ', 0xBD: 'ẵ', 0xBE: 'ắ', 0xC6: 'ặ', // ă
	0xC7: 'ầ', 0xC8: 'ẩ', 0xC9: 'ẫ', 0xCA: 'ấ', 0xCB: 'ậ', // â
	0xCC: 'è', 0xCE: 'ẻ', 0xCF: 'ẽ', 0xD0: 'é', 0xD1: 'ẹ', // e
	0xD2: 'ề', 0xD3: 'ể', 0xD4: 'ễ', 0xD5: 'ế', 0xD6: 'ệ', // ê
	0xD7: 'ì', 0xD8: 'ỉ', 0xDC: 'ĩ', 0xDD: 'í', 0xDE: 'ị', // i
	0xDF: 'ò', 0xE1: 'ỏ', 0xE2: 'õ', 0xE3: 'ó', 0xE4: 'ọ', // o
	0xE5: 'ồ', 0xE6: 'ổ', 0xE7: 'ỗ', 0xE8: 'ố', 0xE9: 'ộ', // ô
	0xEA: 'ờ', 0xEB: 'ở', 0xEC: 'ỡ', 0xED: 'ớ', 0xEE: 'ợ', // ơ
	0xEF: 'ù', 0xF1: 'ủ', 0xF2: 'ũ', 0xF3: 'ú', 0xF4: 'ụ', // u
	0xF5: 'ừ', 0xF6: 'ử', 0xF7: 'ữ', 0xF8: 'ứ', 0xF9: 'ự', // ư
	0xFA: 'ỳ', 0xFB: 'ỷ', 0xFC: 'ỹ', 0xFD: 'ý', 0xFE: 'ỵ', // y
}

// VNI mark characters: what follows a base vowel. Each stands for a vowel
// modifier, a tone, or both. Capital forms (for capital vowels) mean the same.
var vniMarks = map[rune]vniMark{
	// tone only
	'ù': {tone: acute}, 'ø': {tone: grave}, 'û': {tone: hook}, 'õ': {tone: tilde}, 'ï': {tone: dotBelow},
	'Ù': {tone: acute}, 'Ø': {tone: grave}, 'Û': {tone: hook}, 'Õ': {tone: tilde}, 'Ï': {tone: dotBelow},
	// circumflex (â ê ô), with a tone
	'â': {mod: circumflex}, 'á': {mod: circumflex, tone: acute}, 'à': {mod: circumflex, tone: grave},
	'å': {mod: circumflex, tone: hook}, 'ã': {mod: circumflex, tone: tilde}, 'ä': {mod: circumflex, tone: dotBelow},
	'Â': {mod: circumflex}, 'Á': {mod: circumflex, tone: acute}, 'À': {mod: circumflex, tone: grave},
	'Å': {mod: circumflex, tone: hook}, 'Ã': {mod: circumflex, tone: tilde}, 'Ä': {mod: circumflex, tone: dotBelow},
	// breve (ă), with a tone
	'ê': {mod: breve}, 'é': {mod: breve, tone: acute}, 'è': {mod: breve, tone: grave},
	'ú': {mod: breve, tone: hook}, 'ü': {mod: breve, tone: tilde}, 'ë': {mod: breve, tone: dotBelow},
	'Ê': {mod: breve}, 'É': {mod: breve, tone: acute}, 'È': {mod: breve, tone: grave},
	'Ú': {mod: breve, tone: hook}, 'Ü': {mod: breve, tone: tilde}, 'Ë': {mod: breve, tone: dotBelow},
}

// vniSingles are the VNI characters that are a whole letter by themselves.
// ô and ö (ơ, ư) may still take a tone mark after them.
var vniSingles = map[rune]string{
	'ô': "ơ", 'Ô': "Ơ", 'ö': "ư", 'Ö': "Ư", 'ñ': "đ", 'Ñ': "Đ",
	'í': "í", 'ì': "ì", 'æ': "ỉ", 'ó': "ĩ", 'ò': "ị",
	'Í': "Í", 'Ì': "Ì", 'Æ': "Ỉ", 'Ó': "Ĩ", 'Ò': "Ị",
	'î': "ỵ", 'Î': "Ỵ",
}
