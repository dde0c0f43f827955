"""Labelled brand-name pairs, and the precision and recall of ``compare`` on them.

Confusable pairs a reviewer would stop at: misspellings, look-alike letters from other
scripts, digits for letters, Chinese names against their pinyin, a famous mark inside a longer
name, one-letter edits of short marks, spellings that sound alike, hidden direction and
zero-width characters. Distinct pairs are names a shopper would not mix up, including ordinary
words one letter from a famous short mark and real brands that share letters. The tests hold
the scoring to its figures here, and ``make bench`` reports them beside the search timings.
"""

from dataclasses import dataclass

from reviews.similarity import compare

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
    # One letter changed, doubled, added or swapped in a short or medium mark.
    ("Rolax", "Rolex"), ("Chanal", "Chanel"), ("Chamel", "Chanel"), ("Lancone", "Lancome"),
    ("Prado", "Prada"), ("Pradda", "Prada"), ("Nikee", "Nike"), ("Nikes", "Nike"),
    ("Nikke", "Nike"), ("Nyke", "Nike"), ("Nkie", "Nike"), ("Sonny", "Sony"), ("Soony", "Sony"),
    ("Snoy", "Sony"), ("Pumma", "Puma"), ("Pumas", "Puma"), ("Pmua", "Puma"), ("Kiaa", "Kia"),
    ("Uggg", "UGG"), ("Legoo", "Lego"), ("Lgeo", "Lego"), ("Diorr", "Dior"), ("Dioor", "Dior"),
    ("Fendy", "Fendi"), ("Fendii", "Fendi"), ("Guccl", "Gucci"), ("Guci", "Gucci"),
    ("Versache", "Versace"), ("Burbery", "Burberry"), ("Hermez", "Hermes"),
    ("Tifany", "Tiffany"), ("Swarowski", "Swarovski"), ("Pandorra", "Pandora"),
    ("Pandona", "Pandora"), ("Moncller", "Moncler"), ("Monclar", "Moncler"),
    ("Oakly", "Oakley"), ("Oakey", "Oakley"), ("Beatz", "Beats"), ("Baets", "Beats"),
    ("Yetti", "Yeti"), ("Yetl", "Yeti"), ("Stanly", "Stanley"), ("Crocks", "Crocs"),
    ("Dysen", "Dyson"), ("Dison", "Dyson"), ("Dysonn", "Dyson"), ("Bosse", "Bose"),
    ("Boze", "Bose"), ("Vanns", "Vans"), ("Vanz", "Vans"), ("Filla", "Fila"), ("Fiila", "Fila"),
    ("Rolexx", "Rolex"), ("Roelx", "Rolex"), ("Cartiers", "Cartier"), ("Cartler", "Cartier"),
    ("Omegga", "Omega"), ("Omaga", "Omega"), ("Kasioo", "Casio"), ("Casoi", "Casio"),
    ("Seikko", "Seiko"), ("Selko", "Seiko"), ("Asicks", "Asics"), ("Aasics", "Asics"),
    ("Levls", "Levi's"), ("Leviz", "Levi's"), ("Gapp", "Gap"), ("Zaara", "Zara"),
    ("Disnay", "Disney"), ("Disneey", "Disney"), ("Pokemom", "Pokemon"), ("Pokeman", "Pokemon"),
    ("Barbee", "Barbie"), ("Mattell", "Mattel"), ("Hasbor", "Hasbro"), ("Oreoo", "Oreo"),
    ("Tefall", "Tefal"), ("Braunn", "Braun"), ("Nokla", "Nokia"), ("Nokiaa", "Nokia"),
    ("Garmim", "Garmin"), ("Fitbitt", "Fitbit"), ("Kindel", "Kindle"), ("Iphome", "iPhone"),
    ("Airpod", "AirPods"), ("Air Pods", "AirPods"), ("Otterbx", "OtterBox"),
    ("Oterbox", "OtterBox"), ("Lululemom", "Lululemon"), ("Lulu Lemon", "Lululemon"),
    ("Arcteryx", "Arc'teryx"), ("Arc Teryx", "Arc'teryx"), ("Supremme", "Supreme"),
    ("Suprene", "Supreme"), ("Off White", "Off-White"), ("Ofwhite", "Off-White"),
    ("Olaplexx", "Olaplex"), ("Olapex", "Olaplex"), ("Benefitt", "Benefit"),
    ("Clinque", "Clinique"), ("Urban Decai", "Urban Decay"), ("Maybeline", "Maybelline"),
    ("Michael Korss", "Michael Kors"), ("Micheal Kors", "Michael Kors"),
    ("Louis Vuiton", "Louis Vuitton"), ("Luis Vuitton", "Louis Vuitton"),
    ("Balenciagga", "Balenciaga"), ("Canada Gooze", "Canada Goose"),
    ("The Nort Face", "The North Face"), ("Under Armor", "Under Armour"),
    ("New Balanse", "New Balance"), ("Timberlan", "Timberland"), ("Patagonya", "Patagonia"),
    ("Columbya", "Columbia"), ("Kingstom", "Kingston"), ("Sandlsk", "SanDisk"),
    ("San Disk", "SanDisk"), ("Duracll", "Duracell"), ("Channel", "Chanel"),
    # Spellings that sound alike: "-tek" for "-tech", "f" for "ph", "k" for "c" or "ck".
    ("Logitek", "Logitech"), ("Logitex", "Logitech"), ("Fotoshop", "Photoshop"),
    ("Filips", "Philips"), ("Kanon", "Canon"), ("Kasio", "Casio"), ("Rolecs", "Rolex"),
    ("Roleks", "Rolex"), ("Kleneks", "Kleenex"), ("Zerox", "Xerox"),
    ("Kalvin Klein", "Calvin Klein"),
    ("Kolumbia", "Columbia"), ("Konverse", "Converse"), ("Krocs", "Crocs"), ("Adidaz", "Adidas"),
    ("Philipz", "Philips"), ("Fisher-Prise", "Fisher-Price"), ("Kartier", "Cartier"),
    ("Sisko", "Cisco"), ("Koka-Kola", "Coca-Cola"), ("Kwalcomm", "Qualcomm"),
    ("Blackberi", "BlackBerry"), ("Tomy Hilfiger", "Tommy Hilfiger"), ("Garnyer", "Garnier"),
    ("Hisense Tek", "Hisense"), ("Sonitek", "Sonitech"), ("Vertek", "Vertech"),
    ("Grafik Pro", "Graphic Pro"), ("Snikkers", "Snickers"),
    # Hidden characters: direction overrides that display the mark, zero-width joiners.
    ("\u202eEKIN", "Nike"), ("\u202eYNOS", "Sony"), ("\u202eXELOR", "Rolex"),
    ("\u202eICCUG\u202c Bags", "Gucci"), ("Sam\u200bsung", "Samsung"), ("Ni\u200dke", "Nike"),
    ("\u2067Gucci\u2069", "Gucci"), ("\ufeffRolex", "Rolex"), ("Lo\u200cgitech", "Logitech"),
    ("Ch\u2060anel", "Chanel"), ("\u200eDior\u200f", "Dior"), ("Pra\u00adda", "Prada"),
    # More look-alike letters and digits, on fashion and cosmetics marks.
    ("\u0421hanel", "Chanel"), ("D\u0456or", "Dior"), ("\u03a1rada", "Prada"),
    ("Guc\u0441i", "Gucci"), ("R\u043elex", "Rolex"), ("Herm\u0435s", "Hermes"),
    ("R0LEX", "Rolex"), ("GUCC1", "Gucci"), ("CH4NEL", "Chanel"), ("D10R", "Dior"),
    ("Y3TI", "Yeti"), ("B0SE", "Bose"), ("PR4DA", "Prada"), ("0AKLEY", "Oakley"),
    # Famous marks as words of longer names, and Chinese names.
    ("Gucci Outlet", "Gucci"), ("Rolex Watches Store", "Rolex"), ("Pandora Charms", "Pandora"),
    ("Moncler Kids", "Moncler"), ("Swarovski Crystal Shop", "Swarovski"),
    ("Lululemon Yoga", "Lululemon"), ("Dyson Hair Care", "Dyson"),
    ("Canada Goose Outlet", "Canada Goose"), ("Michael Kors Bags", "Michael Kors"),
    ("Otterbox Cases", "OtterBox"), ("耐克", "Nike"), ("阿迪达斯", "Adidas"),
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
    # Ordinary words one letter from a famous short or medium mark.
    ("Nine", "Nike"), ("Like", "Nike"), ("Mike", "Nike"), ("Bike", "Nike"), ("Hike", "Nike"),
    ("Nice", "Nike"), ("Nile", "Nike"), ("Logo", "Lego"), ("Legs", "Lego"), ("Love", "Dove"),
    ("Dover", "Dove"), ("Drove", "Dove"), ("Doves", "Dove"), ("Song", "Sony"), ("Tony", "Sony"),
    ("Pony", "Sony"), ("Stony", "Sony"), ("Sons", "Sony"), ("Pump", "Puma"), ("Time", "Tide"),
    ("Side", "Tide"), ("Tidy", "Tide"), ("Tides", "Tide"), ("Lose", "Bose"), ("Rose", "Bose"),
    ("Boss", "Bose"), ("Base", "Bose"), ("Door", "Dior"), ("Film", "Fila"), ("File", "Fila"),
    ("Fans", "Vans"), ("Van", "Vans"), ("Evans", "Vans"), ("Cars", "Mars"), ("Mark", "Mars"),
    ("Marsh", "Mars"), ("Yet", "Yeti"), ("Egg", "UGG"), ("Ugh", "UGG"), ("Idea", "Ikea"),
    ("Play", "Olay"), ("Okay", "Olay"), ("Clay", "Olay"), ("Lisa", "Visa"), ("Vista", "Visa"),
    ("Box", "Xbox"), ("Well", "Dell"), ("Deli", "Dell"), ("Doll", "Dell"), ("Ace", "Acer"),
    ("Acre", "Acer"), ("Asks", "Asus"), ("Kid", "Kia"), ("Kit", "Kia"), ("Fort", "Ford"),
    ("Food", "Ford"), ("Form", "Ford"), ("Fonda", "Honda"), ("Audio", "Audi"),
    ("Audit", "Audi"), ("Inter", "Intel"), ("Disco", "Cisco"), ("Anger", "Anker"),
    ("Banker", "Anker"), ("Brain", "Braun"), ("Bran", "Braun"), ("Hair", "Haier"),
    ("Share", "Sharp"), ("Shark", "Sharp"), ("Draft", "Kraft"), ("Craft", "Kraft"),
    ("Matter", "Mattel"), ("Papers", "Pampers"), ("Campers", "Pampers"), ("Terrier", "Perrier"),
    ("Super", "Supor"), ("Layer", "Bayer"), ("Baker", "Bayer"), ("Marker", "Parker"),
    ("Darker", "Parker"), ("Role", "Rolex"), ("Roles", "Rolex"), ("Mega", "Omega"),
    ("Oral", "Oral-B"), ("Tinder", "Kinder"), ("Finder", "Kinder"), ("Binder", "Kinder"),
    ("Yell", "Dell"), ("Leg", "Lego"), ("Legal", "Lego"), ("Nuke", "Nike"), ("Pike", "Nike"),
    ("Mars", "Marc"), ("Twin", "Twix"), ("Twig", "Twix"), ("Milk", "Milka"), ("Nerd", "Nerf"),
    ("Ore", "Oreo"), ("Teal", "Tefal"), ("Still", "Stihl"), ("Dealt", "DeWalt"),
    ("Archer", "Karcher"), ("Hippo", "Zippo"), ("Papal", "PayPal"), ("User", "Uber"),
    ("Bay", "eBay"), ("Fend", "Fendi"), ("Armand", "Armani"), ("Tessa", "Tesla"),
    ("Living", "Lining"), ("Santa", "Anta"), ("Anti", "Anta"), ("Chapel", "Chanel"),
    ("Heroes", "Hermes"), ("Kindly", "Kindle"), ("Nixon", "Nikon"), ("Busy", "Bose"),
    # Real brands of their own that share letters with a famous mark.
    ("Sany", "Sony"), ("Sofy", "Sony"), ("Asos", "Asus"), ("Guess", "Gucci"),
    ("Diesel", "Dior"), ("Chloe", "Chanel"), ("Celine", "Chanel"), ("Loewe", "Lacoste"),
    ("Kenzo", "Kenwood"), ("Moschino", "Moncler"), ("Marmot", "Mars"), ("Salomon", "Samsonite"),
    ("Hoka", "Honda"), ("Lenox", "Lenovo"), ("Oppa", "Oppo"), ("Viva", "Vivo"),
    ("Coach", "Casio"), ("Fossil", "Fila"), ("Carter's", "Cartier"), ("Tyson", "Dyson"),
    ("Mango", "Omega"), ("Bvlgari", "Burberry"), ("Hublot", "Hugo Boss"), ("Tudor", "Tide"),
    ("Rado", "Prada"), ("Kappa", "Kia"), ("Umbro", "Uber"), ("Lotto", "Lego"),
    ("Speedo", "Seiko"), ("Wilson", "Nissan"), ("Yonex", "Yeti"), ("Mizuno", "Midea"),
    ("Anello", "Anker"), ("Xiaolu", "Xiaomi"), ("Meizu", "Midea"),
    # Invented names near fashion, outdoor and cosmetics marks.
    ("Lumos", "Lululemon"), ("Lemonade Kids", "Lululemon"), ("Archer Tools", "Arc'teryx"),
    ("Columba Pets", "Columbia"), ("Timber Works", "Timberland"), ("Conversa Lab", "Converse"),
    ("Vanguard Bags", "Vans"), ("Supremo Foods", "Supreme"), ("Whitewave", "Off-White"),
    ("Balance Kids", "New Balance"), ("Fendor", "Fendi"), ("Versa Home", "Versace"),
    ("Carton Co", "Cartier"), ("Tiffin Box", "Tiffany"), ("Swarm Drones", "Swarovski"),
    ("Clinical Care", "Clinique"), ("Narsil", "NARS"), ("Olapa", "Olaplex"), ("Dynex", "Dyson"),
    ("JBS", "JBL"), ("Sandstone", "SanDisk"), ("Duraflex", "Duracell"), ("Yetta", "Yeti"),
    ("Crocodile Toys", "Crocs"), ("Disco Lights", "Disney"), ("Rolling Bags", "Rolex"),
    ("Pandemic Games", "Pandora"), ("Goose Down Co", "Canada Goose"), ("Korsa", "Michael Kors"),
    ("Northwind", "The North Face"), ("Armoury Tools", "Under Armour"), ("Beacon", "Beats"),
    ("Oakridge", "Oakley"), ("Stanza", "Stanley"), ("Urbanite", "Urban Decay"),
    ("Benecol", "Benefit"), ("Kingsley", "Kingston"), ("Montera", "Moncler"),
]  # fmt: skip


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    missed: tuple[tuple[str, str], ...]
    wrongly_flagged: tuple[tuple[str, str], ...]


def labelled_scores(
    confusable: list[tuple[str, str]] = CONFUSABLE, distinct: list[tuple[str, str]] = DISTINCT
) -> Scores:
    """How many pairs ``compare`` flags are confusable, and how many confusable ones it flags."""
    flagged = {pair for pair in confusable + distinct if compare(*pair)}
    true = flagged & set(confusable)
    return Scores(
        precision=round(len(true) / len(flagged), 4) if flagged else 0.0,
        recall=round(len(true) / len(confusable), 4),
        missed=tuple(pair for pair in confusable if pair not in flagged),
        wrongly_flagged=tuple(pair for pair in distinct if pair in flagged),
    )
