"""Brand-like names, the same ones for the same seed.

Invented Latin words, pinyin, Chinese characters, short acronyms, and look-alikes of names made
earlier (digits for letters, Cyrillic letters, "rn" for "m"), as infringers write them.
"""

import random

ONSETS = (
    "b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gl", "h", "j", "k", "kr", "l", "m", "n",
    "p", "pr", "qu", "r", "s", "sh", "sk", "st", "t", "tr", "v", "w", "x", "z",
)  # fmt: skip
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y", "ee", "oo")
CODAS = ("", "", "", "n", "r", "x", "s", "l", "m", "k", "t", "nd", "ng")
ENDINGS = ("", "", "", "", " Home", " Tech", " Lab", " Pro", " Living", " Kids", " Outdoor",
           "ly", "ify", "o", "ex", "ia", " & Co")  # fmt: skip
PINYIN = (
    "xiao", "mei", "hua", "wang", "long", "feng", "jia", "li", "tian", "sheng", "bao", "kang",
    "le", "da", "zhi", "yun", "hai", "xin", "ming", "chuang", "an", "bai", "jin", "shun", "qi",
    "rui", "yue", "hong", "tai", "fu", "guang", "hui", "jie", "kai", "lan", "lin", "nuo", "ou",
    "pin", "qing", "rong", "shang", "shi", "song", "teng", "wei", "xiang", "xing", "yang",
    "yi", "ying", "yu", "zhong", "zhou", "chen", "cheng", "dong", "en", "gao", "heng",
)  # fmt: skip
HANZI = (
    "华美小米龙凤家丽天盛宝康乐达智云海鑫明创安百金顺奇瑞悦宏泰福光辉杰凯兰林诺欧品清荣尚"
    "诗松腾维翔星阳怡英宇中洲晨诚东恩高恒佳嘉锦骏朗力隆满宁鹏启仁森盛舒顺通伟鑫雅远卓"
)
DIGIT_FOR = {"o": "0", "l": "1", "i": "1", "e": "3", "a": "4", "s": "5", "t": "7", "b": "8"}
CYRILLIC_FOR = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у"}


class NameMaker:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.recent: list[str] = []

    def name(self) -> str:
        roll = self.random.random()
        if roll < 0.62:
            made = self.invented()
        elif roll < 0.74:
            made = self.pinyin()
        elif roll < 0.79:
            made = self.chinese()
        elif roll < 0.84:
            made = self.short()
        else:
            made = self.lookalike(self.random.choice(self.recent)) if self.recent else self.short()
        if len(self.recent) < 500:
            self.recent.append(made)
        else:
            self.recent[self.random.randrange(500)] = made
        return made

    def invented(self) -> str:
        syllables = self.random.choice((2, 2, 2, 3, 3, 4))
        word = "".join(
            self.random.choice(ONSETS) + self.random.choice(VOWELS) for _ in range(syllables)
        ) + self.random.choice(CODAS)
        return word.capitalize() + self.random.choice(ENDINGS)

    def pinyin(self) -> str:
        words = [self.random.choice(PINYIN) for _ in range(self.random.choice((2, 2, 3)))]
        if self.random.random() < 0.5:
            return "".join(words).capitalize()
        return " ".join(word.capitalize() for word in words)

    def chinese(self) -> str:
        return "".join(self.random.choice(HANZI) for _ in range(self.random.choice((2, 2, 3, 4))))

    def short(self) -> str:
        letters = "ABCDEFGHJKLMNPRSTVXZ"
        return "".join(self.random.choice(letters) for _ in range(self.random.choice((2, 3, 3, 4))))

    def lookalike(self, original: str) -> str:
        chars = list(original)
        for _ in range(self.random.choice((1, 1, 2))):
            spots = [i for i, c in enumerate(chars) if c.lower() in DIGIT_FOR or c == "m"]
            if not spots:
                break
            i = self.random.choice(spots)
            low = chars[i].lower()
            if low == "m":
                chars[i] = "rn"
            elif low in CYRILLIC_FOR and self.random.random() < 0.5:
                chars[i] = CYRILLIC_FOR[low]
            else:
                chars[i] = DIGIT_FOR.get(low, chars[i])
        return "".join(chars)


def query_names(count: int, seed: int, marks_seed: int) -> list[str]:
    """Names searched for: marks that exist, look-alikes of them, new names, short ones."""
    existing = NameMaker(marks_seed)
    known = [existing.name() for _ in range(count)]
    fresh = NameMaker(seed)
    queries = []
    for i in range(count):
        kind = i % 5
        if kind == 0:
            queries.append(known[i])
        elif kind == 1:
            queries.append(fresh.lookalike(known[i]))
        elif kind == 2:
            queries.append(fresh.short())
        elif kind == 3:
            queries.append(fresh.chinese() if i % 2 else fresh.pinyin())
        else:
            queries.append(fresh.invented())
    return queries
