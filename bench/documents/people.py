"""Invented parties for the documents: companies, people, brands, products, places.

Company names are a city, a two-character trade name and a line of business, the way Chinese
companies are named; the English form is the same name in pinyin, as the companies translate it.
The trade names are drawn from characters and are not taken from any real company.
"""

import random
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from bench.names import NameMaker

# (Chinese city, English city, administrative division code used in the credit code)
CITIES = (
    ("深圳", "Shenzhen", "440300"),
    ("广州", "Guangzhou", "440100"),
    ("东莞", "Dongguan", "441900"),
    ("杭州", "Hangzhou", "330100"),
    ("宁波", "Ningbo", "330200"),
    ("义乌", "Yiwu", "330782"),
    ("苏州", "Suzhou", "320500"),
    ("厦门", "Xiamen", "350200"),
    ("上海", "Shanghai", "310115"),
    ("青岛", "Qingdao", "370200"),
)
TRADE_CHARS = "瑞泽澜拓森峻珂璟翎朔禾昕煜骁岚沐栩睿铂颢骐朗逸弘锐淳奕霖晟湛熠"
# (Chinese line of business, English, the products it sells, in both languages, and Nice classes)
TRADES = (
    ("电子科技", "Electronic Technology", ("蓝牙耳机", "Bluetooth earphones"), (9,)),
    ("智能科技", "Intelligent Technology", ("智能手表", "smart watches"), (9, 14)),
    ("服饰", "Apparel", ("女装连衣裙", "women's dresses"), (25,)),
    ("鞋业", "Footwear", ("运动鞋", "sports shoes"), (25,)),
    ("家居用品", "Household Products", ("不锈钢厨具", "stainless steel cookware"), (21,)),
    ("照明电器", "Lighting Appliance", ("LED台灯", "LED desk lamps"), (11,)),
    ("箱包", "Bags and Luggage", ("拉杆箱", "trolley suitcases"), (18,)),
    ("化妆品", "Cosmetics", ("面部精华液", "facial serums"), (3,)),
    ("玩具", "Toys", ("益智积木", "building block toys"), (28,)),
    ("家具", "Furniture", ("办公椅", "office chairs"), (20,)),
    ("纺织品", "Textiles", ("纯棉床单", "cotton bed sheets"), (24,)),
    ("饰品", "Jewellery", ("银饰项链", "silver necklaces"), (14,)),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娟建国志浩宇欣怡晨阳佳琪子轩"
# Surnames read differently as surnames than the dictionary's first reading.
SURNAME_PINYIN = {"曾": "Zeng", "萧": "Xiao"}


@dataclass(frozen=True)
class Company:
    zh: str
    en: str
    city_zh: str
    city_en: str
    division: str
    trade: int

    def name(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Person:
    zh: str
    en: str

    def name(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


def pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text)).capitalize()


class Cast:
    """Everyone the documents of one seed name, drawn from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.brands = NameMaker(rng.randrange(2**32))
        self.used: set[str] = set()

    def company(self, trade: int | None = None) -> Company:
        while True:
            city_zh, city_en, division = self.rng.choice(CITIES)
            word = "".join(self.rng.sample(TRADE_CHARS, 2))
            index = self.rng.randrange(len(TRADES)) if trade is None else trade
            trade_zh, trade_en, _, _ = TRADES[index]
            zh = f"{city_zh}市{word}{trade_zh}有限公司"
            if zh not in self.used:
                self.used.add(zh)
                en = f"{city_en} {pinyin(word)} {trade_en} Co., Ltd."
                return Company(zh, en, city_zh, city_en, division, index)

    def person(self) -> Person:
        surname = self.rng.choice(SURNAMES)
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        family = SURNAME_PINYIN.get(surname, pinyin(surname))
        return Person(surname + given, f"{family} {pinyin(given)}")

    def brand(self) -> str:
        """A word mark: invented Latin words, pinyin or letters, never a look-alike."""
        roll = self.rng.random()
        if roll < 0.6:
            return self.brands.invented()
        if roll < 0.85:
            return self.brands.pinyin()
        return self.brands.short()
