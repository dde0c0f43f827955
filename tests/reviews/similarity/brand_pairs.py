"""Labelled brand-name pairs for measuring the similarity scoring.

Confusable pairs a reviewer would stop at: misspellings, look-alike letters from other
scripts, digits for letters, Chinese names against their pinyin, a famous mark inside a longer
name. Distinct pairs are names a shopper would not mix up, including ones that share letters.
"""

CONFUSABLE = [
    # Misspellings and one-letter changes of longer names.
    ("Addidas", "Adidas"), ("Adiddas", "Adidas"), ("Samsunq", "Samsung"), ("Samsumg", "Samsung"),
    ("Phillips", "Philips"), ("Starbuck", "Starbucks"), ("Starbux", "Starbucks"),
    ("Huawai", "Huawei"), ("Xiaomy", "Xiaomi"), ("Panasonik", "Panasonic"),
    ("Toshiva", "Toshiba"), ("Hitachii", "Hitachi"), ("Logitec", "Logitech"),
    ("Nintendoo", "Nintendo"), ("Michelln", "Michelin"), ("Bridgestorn", "Bridgestone"),
    ("Gilette", "Gillette"), ("Colgatte", "Colgate"), ("Palmolve", "Palmolive"),
    ("Pampres", "Pampers"), ("Nescaffe", "Nescafe"), ("Heineken Beer", "Heineken"),
    ("Lamborgini", "Lamborghini"), ("Porshe", "Porsche"), ("Volkswagon", "Volkswagen"),
    ("Chevrolett", "Chevrolet"), ("Hyundia", "Hyundai"), ("Mercedes Bens", "Mercedes-Benz"),
    ("Lenovvo", "Lenovo"), ("Motorolla", "Motorola"), ("Ericson", "Ericsson"),
    ("Sennheizer", "Sennheiser"), ("Electrolax", "Electrolux"), ("Whirlpol", "Whirlpool"),
    ("Swarovsky", "Swarovski"), ("Samsonight", "Samsonite"), ("Timberlands", "Timberland"),
    ("Skechers Kids", "Skechers"), ("Birkenstok", "Birkenstock"), ("Tupperwear", "Tupperware"),
    ("Victorinoks", "Victorinox"), ("Duracel", "Duracell"), ("Energiser", "Energizer"),
    ("Kleenax", "Kleenex"), ("Pringels", "Pringles"), ("Snikers", "Snickers"),
    ("Budwiser", "Budweiser"), ("Carlsburg", "Carlsberg"), ("Hennesy", "Hennessy"),
    ("Hiscene", "Hisense"),
    # Spacing, punctuation and accents.
    ("Coca Cola", "Coca-Cola"), ("CocaCola", "Coca-Cola"), ("Ray Ban", "Ray-Ban"),
    ("Oral B", "Oral-B"), ("Dr Martens", "Dr. Martens"), ("Louis-Vuitton", "Louis Vuitton"),
    ("Estée Lauder", "Estee Lauder"), ("L'Oréal", "L'Oreal"), ("Hermès", "Hermes"),
    ("Nestlé", "Nestle"), ("Fisher Price", "Fisher-Price"), ("Post It", "Post-it"),
    ("Play Station", "PlayStation"), ("Face Book", "Facebook"), ("You Tube", "YouTube"),
    # Look-alike letters from other scripts.
    ("\u0410pple", "Apple"), ("S\u043eny", "Sony"), ("N\u0456ke", "Nike"),
    ("\u0405\u0430msung", "Samsung"), ("\u0410didas", "Adidas"), ("\u0420uma", "Puma"),
    ("\u0422oyota", "Toyota"), ("\u041d\u043enda", "Honda"), ("\u0415pson", "Epson"),
    ("\u0421\u0430non", "Canon"), ("\u0412osch", "Bosch"), ("Ni\u0441on", "Nikon"),
    ("\u0425box", "Xbox"), ("L\u0435g\u043e", "Lego"), ("G\u043e\u043egle", "Google"),
    ("\u0410ma\u0455on", "Amazon"), ("\u039dike", "Nike"), ("\u0391udi", "Audi"),
    # Digits and signs for letters; "rn" for "m", "vv" for "w".
    ("L0G1TECH", "Logitech"), ("5AMSUNG", "Samsung"), ("T0Y0TA", "Toyota"), ("N1KE", "Nike"),
    ("AD1DA5", "Adidas"), ("B05CH", "Bosch"), ("PH1L1P5", "Philips"), ("H0NDA", "Honda"),
    ("S0NY", "Sony"), ("G00GLE", "Google"), ("M1CR0S0FT", "Microsoft"), ("L3GO", "Lego"),
    ("Sarnsung", "Samsung"), ("Arrnani", "Armani"), ("VVhirlpool", "Whirlpool"),
    ("Nik3", "Nike"), ("Pum@", "Puma"), ("$ony", "Sony"),
    # Chinese names against their pinyin.
    ("小米", "Xiaomi"), ("华为", "Huawei"), ("海尔", "Haier"), ("李宁", "Lining"),
    ("安踏", "Anta"), ("茅台", "Moutai"), ("娃哈哈", "Wahaha"), ("百度", "Baidu"),
    ("淘宝", "Taobao"), ("波司登", "Bosideng"), ("Xiao Mi", "Xiaomi"), ("Hua Wei", "Huawei"),
    # A famous mark as a word of a longer name.
    ("Samsung Home Lighting", "Samsung"), ("Philips Lamps Store", "Philips"),
    ("Dyson Direct", "Dyson"), ("Gucci Kids", "Gucci"), ("Nintendo World Toys", "Nintendo"),
]  # fmt: skip

DISTINCT = [
    ("Brightlamp", "Lumibright"), ("Harbor Home", "Kitchen Orchard"), ("Glowmate", "Goodyear"),
    ("Nike", "Sony"), ("Apple", "Adidas"), ("Samsung", "Siemens"), ("Nikon", "Nike"),
    ("Canon", "Conan"), ("Pepsi", "Pepco"), ("Lumina", "Lumix"), ("Sunfox", "Sony"),
    ("Dovetail", "Dove"), ("Applebee Garden", "Apple"), ("Homegarden", "Omega"),
    ("Moonlite", "Montblanc"), ("Riverstone", "Bridgestone"), ("Oakwood Living", "Oakley"),
    ("Bambooza", "Balenciaga"), ("Cozynest", "Converse"), ("Zenlight", "Zippo"),
    ("Tidewater Tools", "Tide"), ("Marsupial Toys", "Mars"), ("Galaxia Pets", "Galaxy"),
    ("Corolla Tea", "Corona"), ("Kindred Kitchen", "Kinder"), ("Stanfield", "Stanley"),
    ("Parkway Pens", "Parker"), ("Citrine", "Citizen"), ("Brotherhood Bikes", "Brother"),
    ("Scotia Wool", "Scotch"), ("Pandaland", "Pandora"), ("Honeyore", "Honor"),
    ("Vividly", "Vivo"), ("Opal Home", "Oppo"), ("Midway", "Midea"), ("Greenway", "Gree"),
    ("Hisaki", "Hisense"), ("Ankerage", "Anker"), ("Logic Lamp", "Logitech"),
    ("Phillipa Lee", "Philips"), ("Siena Home", "Siemens"), ("Boschetto", "Bosch"),
    ("Panamera Home", "Panasonic"), ("Sharpie Kids", "Sharp"), ("Toshi Tea", "Toshiba"),
    ("Hitmaker", "Hitachi"), ("Canopy Co", "Canon"), ("Nikkei Garden", "Nikon"),
    ("Fujiyama Foods", "Fujifilm"), ("Olympia Bags", "Olympus"), ("Epsilon Tools", "Epson"),
    ("Xenon Lights", "Xerox"), ("Nokomis", "Nokia"), ("Motoring Pro", "Motorola"),
    ("Blueberry Farm", "BlackBerry"), ("Bosun Marine", "Bose"), ("Marsh Mellow", "Marshall"),
    ("Dynamo Fans", "Dyson"), ("Electra Bikes", "Electrolux"), ("Whirlwind Toys", "Whirlpool"),
    ("Teflon Pans", "Tefal"), ("Brawn Gym", "Braun"), ("Gilded Lily", "Gillette"),
    ("Oralia", "Oral-B"), ("Pamplona", "Pampers"), ("Arielle Home", "Ariel"),
    ("Pantheon", "Pantene"), ("Colgan", "Colgate"), ("Palmetto", "Palmolive"),
    ("Doveridge", "Dove"), ("Lipari", "Lipton"), ("Knorrly", "Knorr"), ("Vasel", "Vaseline"),
    ("Rexford", "Rexona"), ("Lumibright", "Lumbering"), ("Silk Road", "Sephora"),
    ("Jade Harbor", "Harbor Home"), ("Golden Crane", "Canon"), ("Red Maple", "Red Bull"),
    ("Blue Ocean", "Oakley"),
]  # fmt: skip
