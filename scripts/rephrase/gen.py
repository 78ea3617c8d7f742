#!/usr/bin/env python3
"""Re-phrase the matching benchmark's dev set: same meaning (so the same qrels), other words.

Run from the project's root:
    python3 scripts/rephrase/gen.py SEED OUTDIR [mix|plain|diacritics|hard]
    ../shared/bench/match-eval --set OUTDIR

Suppliers and demands are re-phrased independently, with synonyms in English and Vietnamese (with and without
diacritics), other certificate and capacity notations, and ("hard") requirements moved between columns and the
description. It finds recognition gaps the dev set's own wording hides; see docs/BENCHMARKS.md.
"""
import csv, random, re, sys, os, unicodedata, shutil
DEV = os.environ.get('SIHUB_MATCH_DEV', '../shared/bench/match-dev')
seed, out = int(sys.argv[1]), sys.argv[2]
profile = sys.argv[3] if len(sys.argv) > 3 else 'mix'
rnd = random.Random(seed)
os.makedirs(out, exist_ok=True)

def strip(s):
    s = s.replace('đ', 'd').replace('Đ', 'D')
    return ''.join(ch for ch in unicodedata.normalize('NFD', s) if not unicodedata.combining(ch))

# Processes: dev phrase (lower) -> alternatives with the same meaning.
INJ = ['plastic injection moulding', 'injection moulding', 'plastic injection', 'ép phun', 'ép nhựa', 'đúc nhựa', 'phun ép nhựa',
       'ép phun nhựa', 'gia công ép nhựa', 'plastic injection molding', 'injection-molding', 'plastic moulding', 'molded plastic parts',
       'ép phun sản phẩm nhựa', 'injection molded parts', 'custom injection molding']
MOLD = ['mould making', 'mold making', 'tooling', 'mold manufacturing', 'làm khuôn', 'chế tạo khuôn', 'khuôn mẫu', 'gia công khuôn mẫu',
        'chế tạo khuôn mẫu', 'thiết kế và chế tạo khuôn', 'mould design and manufacture', 'toolmaking', 'sản xuất khuôn', 'khuôn ép nhựa']
DIE = ['die casting', 'die-casting', 'diecasting', 'aluminium die casting', 'aluminum die-casting', 'HPDC', 'high pressure die casting',
       'đúc áp lực', 'đúc nhôm áp lực', 'đúc áp lực nhôm', 'aluminum diecast', 'đúc nhôm cao áp']
FORGE = ['forging', 'hot forging', 'forging (hot)', 'dập nóng', 'rèn nóng', 'rèn dập', 'rèn dập nóng', 'closed die forging', 'hot-forging',
         'drop forging', 'rèn', 'rèn khuôn', 'forged parts']
CNC = ['CNC machining', 'precision machining', 'gia công CNC', 'gia công cơ khí chính xác', 'precision CNC machining', 'CNC machined parts',
       'gia công chính xác CNC', 'machining', 'CNC precision machining', 'machined parts']
TM = ['CNC turning and milling', 'tiện phay CNC', 'turning & milling', 'CNC turning/milling', 'tiện, phay CNC', 'turning and milling',
      'tiện phay', 'CNC lathe and milling']
STAMP = ['metal stamping', 'press stamping', 'sheet metal stamping', 'stamping', 'dập kim loại', 'dập tấm', 'đột dập', 'dập nguội',
         'metal pressing', 'progressive die stamping', 'press work', 'stamped parts', 'gia công dập', 'dập liên hoàn', 'metal pressings']
PLATE = ['electroplating', 'plating', 'zinc plating', 'nickel plating', 'xi mạ', 'mạ điện', 'mạ kẽm', 'mạ niken', 'Ni plating',
         'Zn plating', 'electro-plating', 'mạ kẽm điện phân', 'zinc electroplating', 'metal plating']
HARN = ['wire harness', 'wiring harness', 'cable assembly', 'cable harness', 'wire harnesses', 'bó dây điện', 'sản xuất dây điện',
        'gia công cáp điện', 'lắp ráp dây điện', 'harness assembly', 'cable assemblies', 'Wire Harness Ass\'y', 'wiring harnesses', 'bó dây']
PCBA = ['PCBA', 'PCB assembly', 'SMT', 'SMT assembly', 'surface mount', 'surface mount technology', 'SMD assembly', 'printed circuit board assembly',
        'lắp ráp bo mạch', 'dán linh kiện SMT', 'lắp ráp linh kiện điện tử', 'lắp ráp PCB', 'dán SMT', 'lắp ráp mạch in', 'PCB Ass\'y',
        'PCB assy', 'SMT & DIP', 'hàn dán SMT', 'lắp ráp bảng mạch', 'PCBA assembly']
EXT = ['plastic extrusion', 'đùn nhựa', 'ép đùn nhựa', 'pipe extrusion', 'plastic pipe extrusion', 'đùn ống nhựa', 'plastic profile extrusion',
       'extruded plastic', 'plastic extruding']
BLOW = ['blow molding', 'blow moulding', 'blow-molding', 'bottle blowing', 'thổi nhựa', 'thổi chai', 'thổi chai nhựa', 'ép thổi',
        'extrusion blow molding', 'stretch blow molding', 'thổi chai PET', 'blow moulded bottles']
CART = ['corrugated packaging', 'carton boxes', 'corrugated boxes', 'corrugated cartons', 'bao bì carton', 'thùng carton', 'hộp carton',
        'thùng giấy carton', 'corrugated carton', 'shipping cartons', 'carton packaging', 'thùng carton sóng', 'sản xuất thùng carton', 'thùng các tông']
RUB = ['rubber molding', 'rubber moulding', 'rubber parts', 'molded rubber', 'technical rubber', 'đúc cao su', 'cao su kỹ thuật', 'ép cao su',
       'rubber compression molding', 'sản phẩm cao su kỹ thuật', 'cao su đúc', 'molded rubber parts', 'rubber products']
HEAT = ['heat treatment', 'heat-treatment', 'heat treating', 'hardening and tempering', 'quenching and tempering', 'nhiệt luyện', 'tôi ram',
        'xử lý nhiệt', 'heat treat', 'tôi cao tần', 'induction hardening', 'carburizing']
WELD = ['welding', 'robotic welding', 'robot welding', 'MIG welding', 'TIG welding', 'MIG/MAG welding', 'arc welding', 'hàn', 'hàn robot',
        'hàn MIG', 'hàn TIG', 'hàn CO2', 'welded assemblies', 'weldments', 'hàn hồ quang']
BEND = ['bending', 'CNC bending', 'press brake bending', 'sheet metal bending', 'chấn gấp', 'chấn gấp tôn', 'chấn tôn', 'gấp tôn', 'chấn CNC',
        'uốn tôn', 'NC bending', 'CNC press brake']
SHEET = ['sheet metal fabrication', 'sheet metal', 'sheet-metal fabrication', 'sheet metal work', 'sheet metal processing', 'gia công kim loại tấm',
         'gia công tôn tấm', 'gia công tấm', 'sheetmetal fabrication', 'gia công tôn']
LASER = ['laser cutting', 'laser-cutting', 'fiber laser cutting', 'CNC laser cutting', 'cắt laser', 'cắt lazer', 'cắt laze', 'cắt laser CNC',
         'laser cut parts']
PAINT = ['painting', 'industrial painting', 'surface coating', 'sơn phủ bề mặt', 'sơn phủ', 'sơn công nghiệp', 'paint finishing', 'coating']
POWD = ['powder coating', 'powder-coating', 'powder painting', 'electrostatic powder coating', 'electrostatic painting', 'sơn tĩnh điện',
        'sơn bột tĩnh điện', 'sơn bột', 'powder coat']
COIL = ['coil winding', 'motor winding', 'transformer winding', 'quấn mô tơ', 'quấn cuộn dây', 'quấn dây', 'quấn dây đồng', 'quấn motor',
        'quấn biến áp', 'motor coil winding', 'stator winding']
PROC = {}
def put(keys, alts):
    for k in keys: PROC[k.lower()] = alts
put(['ép nhựa', 'ép phun nhựa', 'injection molding', 'plastic injection molding', 'đúc nhựa', 'phun ép nhựa', 'plastic molding', 'ep phun nhua',
     'ep nhua', 'phun ep nhua', 'duc nhua'], INJ)
put(['làm khuôn', 'chế tạo khuôn mẫu', 'mold making', 'khuôn mẫu', 'tooling', 'mould making', 'lam khuon', 'che tao khuon mau', 'khuon mau'], MOLD)
put(['đúc áp lực', 'aluminum die casting', 'die casting', 'đúc nhôm áp lực', 'duc nhom ap luc', 'duc ap luc'], DIE)
put(['rèn', 'forging', 'ren', 'hot forging', 'rèn dập nóng', 'ren dap nong'], FORGE)
put(['gia công cơ khí chính xác', 'precision machining', 'gia công cnc', 'cnc machining', 'gia cong cnc', 'gia cong co khi chinh xac'], CNC)
put(['cnc turning and milling', 'tiện phay cnc', 'tien phay cnc'], TM)
put(['sheet metal stamping', 'dập tấm', 'đột dập', 'press stamping', 'dap tam', 'dập kim loại', 'dot dap', 'dap kim loai', 'metal stamping'], STAMP)
put(['zinc plating', 'xi mạ', 'mạ điện', 'mạ kẽm', 'nickel plating', 'xi ma', 'electroplating', 'ma kem', 'ma dien'], PLATE)
put(['wire harness', 'gia công cáp điện', 'bó dây điện', 'sản xuất dây điện', 'cable assembly', 'gia cong cap dien', 'bo day dien', 'san xuat day dien'], HARN)
put(['lắp ráp bo mạch', 'dán linh kiện smt', 'lắp ráp linh kiện điện tử', 'dan linh kien smt', 'pcb assembly', 'smt assembly', 'pcba',
     'lap rap linh kien dien tu', 'lap rap bo mach'], PCBA)
put(['đùn nhựa', 'dun nhua', 'plastic extrusion'], EXT)
put(['blow molding', 'thoi nhua', 'thổi nhựa'], BLOW)
put(['bao bì carton', 'thùng carton', 'corrugated packaging', 'bao bi carton', 'carton boxes', 'thung carton'], CART)
put(['duc cao su', 'cao su kỹ thuật', 'đúc cao su', 'rubber molding', 'cao su ky thuat', 'rubber parts'], RUB)
put(['tôi ram', 'nhiệt luyện', 'hardening and tempering', 'heat treatment', 'toi ram', 'nhiet luyen'], HEAT)
put(['hàn', 'welding', 'han robot', 'robotic welding', 'hàn robot', 'han'], WELD)
put(['cnc bending', 'chấn gấp tôn', 'chan gap ton'], BEND)
put(['gia công kim loại tấm', 'sheet metal fabrication', 'gia cong kim loai tam'], SHEET)
put(['cắt laser', 'laser cutting', 'cat laser'], LASER)
put(['sơn phủ bề mặt', 'son phu be mat'], PAINT)
put(['sơn tĩnh điện', 'powder coating', 'son tinh dien', 'electrostatic painting'], POWD)
put(['quan mo to', 'quấn mô tơ', 'quấn cuộn dây', 'quan cuon day', 'coil winding'], COIL)

MAT = {
 'SCM420': ['SCM420', 'SCM 420', 'SCM-420', 'JIS SCM420', 'thép SCM420'], 'SCM440': ['SCM440', 'SCM 440', 'SCM-440', 'JIS SCM440', 'thép SCM440'],
 'S45C': ['S45C', 'S45C steel', 'JIS S45C', 'thép S45C', 'S45C carbon steel'],
 'PA66 GF30': ['PA66 GF30', 'PA66-GF30', 'PA66+GF30', 'PA66 GF 30%', 'nylon 66 GF30', 'PA66GF30', 'PA66 30%GF', 'PA6.6 GF30', 'PA66 + 30% GF', 'nylon 66 30% glass fibre'],
 'PC/ABS': ['PC/ABS', 'PC+ABS', 'PC-ABS', 'PC/ABS blend'], 'PC': ['PC', 'polycarbonate', 'nhựa PC', 'PC (polycarbonate)'],
 'ABS': ['ABS', 'nhựa ABS', 'ABS resin', 'ABS plastic'], 'POM': ['POM', 'acetal (POM)', 'polyacetal', 'nhựa POM', 'POM (Delrin)'],
 'PVC': ['PVC', 'nhựa PVC', 'polyvinyl chloride'], 'PE': ['PE', 'polyethylene', 'nhựa PE'], 'HDPE': ['HDPE', 'high density polyethylene', 'nhựa HDPE', 'HD-PE'],
 'PET': ['PET', 'nhựa PET', 'polyethylene terephthalate'], 'PP': ['PP', 'polypropylene', 'nhựa PP'],
 'ADC12': ['ADC12', 'ADC 12', 'ADC-12', 'nhôm ADC12', 'aluminium alloy ADC12'], 'A6061': ['A6061', 'Al6061', 'AL 6061', 'aluminum 6061', 'nhôm 6061', 'A6061-T6'],
 'A7075': ['A7075', 'Al7075', 'aluminum 7075', 'nhôm 7075', 'A7075-T6'], 'SUS304': ['SUS304', 'SUS 304', 'inox 304', 'stainless steel 304', 'SS304', 'AISI 304'],
 'SPCC': ['SPCC', 'SPCC steel', 'thép SPCC', 'SPCC-SD', 'cold rolled SPCC'], 'SS400': ['SS400', 'SS 400', 'thép SS400', 'JIS SS400'],
 'SECC': ['SECC', 'tôn SECC', 'SECC steel'], 'C5191': ['C5191', 'phosphor bronze C5191', 'C 5191', 'C5191 phosphor bronze'],
 'FR4': ['FR4', 'FR-4', 'FR 4'], 'kraft paper': ['kraft paper', 'giấy kraft', 'kraft liner', 'kraftliner'],
 'EPDM': ['EPDM', 'cao su EPDM', 'EPDM rubber'], 'NBR': ['NBR', 'nitrile rubber', 'cao su NBR', 'NBR rubber'],
 'silicone': ['silicone', 'silicone rubber', 'cao su silicone'], 'NAK80': ['NAK80', 'NAK 80', 'NAK-80'], 'S136': ['S136', 'S-136', 'S 136'],
 'brass': ['brass', 'đồng thau'], 'enamelled copper': ['enamelled copper', 'enameled copper wire', 'enamelled wire', 'magnet wire', 'dây đồng emay'],
 'PVC copper': ['PVC copper', 'PVC, copper', 'copper, PVC', 'PVC insulated copper wire', 'PVC/copper', 'copper wire with PVC insulation'],
}
CERT = {
 'ISO 9001': ['ISO 9001', 'ISO9001', 'ISO 9001:2015', 'ISO9001:2015', 'ISO-9001', 'QMS ISO 9001', 'ISO 9001-2015', 'TCVN ISO 9001:2015', 'ISO 9001:2008'],
 'ISO 14001': ['ISO 14001', 'ISO14001', 'ISO 14001:2015', 'ISO14001:2015', 'EMS ISO 14001', 'ISO-14001', 'ISO 14001-2015'],
 'IATF 16949': ['IATF 16949', 'IATF16949', 'IATF 16949:2016', 'IATF16949:2016', 'ISO/TS 16949', 'TS 16949', 'TS16949', 'ISO TS 16949', 'ISO/TS16949:2009'],
 'ISO 45001': ['ISO 45001', 'ISO45001', 'ISO 45001:2018', 'OHSAS 18001', 'OHSAS18001', 'OHSAS 18001:2007'],
 'ISO 13485': ['ISO 13485', 'ISO13485', 'ISO 13485:2016', 'ISO13485:2016', 'EN ISO 13485', 'ISO 13485:2003'],
 'ISO 22000': ['ISO 22000', 'ISO22000', 'ISO 22000:2018', 'ISO22000:2005'],
}
mat_keys = sorted(MAT, key=len, reverse=True)
cert_re = re.compile(r'(ISO 9001|ISO 14001|IATF 16949|ISO 45001|ISO 13485|ISO 22000)(:\d{4})?')
proc_keys = sorted(PROC, key=len, reverse=True)
proc_re = re.compile(r'(?<![\w])(' + '|'.join(re.escape(k) for k in proc_keys) + r')(?![\w])', re.I)
mat_re = re.compile(r'(?<![\w/])(' + '|'.join(re.escape(k) for k in mat_keys) + r')(?![\w/])')

def sub_proc(s):
    return proc_re.sub(lambda m: rnd.choice(PROC[m.group(1).lower()]), s)
def sub_mat(s):
    return mat_re.sub(lambda m: rnd.choice(MAT[m.group(1)]), s)
def sub_cert(s):
    return cert_re.sub(lambda m: rnd.choice(CERT[m.group(1)]), s)

def cap_vi(a, b):
    return rnd.choice([f'máy ép nhựa {a}-{b} tấn', f'máy ép {a}~{b} tấn', f'máy ép nhựa từ {a} tấn đến {b} tấn', f'máy ép phun {a}T-{b}T',
                       f'{a} - {b} tấn máy ép nhựa', f'máy ép nhựa ({a}-{b} tấn)', f'máy ép phun từ {a} đến {b} tấn', f'máy ép {a}T~{b}T',
                       f'máy ép nhựa {a} đến {b} tấn', f'máy ép nhựa lực kẹp {a}-{b} tấn'])
def cap_en(a, b):
    return rnd.choice([f'injection machines {a}-{b} tons', f'injection molding machines {a}T-{b}T', f'clamping force {a} to {b} tons',
                       f'{a}~{b} ton injection machines', f'injection presses from {a} to {b} tonnes', f'IMM {a}-{b}T',
                       f'molding machines {a} - {b} t', f'{a}-{b}T injection molding machines', f'injection machine: {a}T ~ {b}T'])

def supplier(r):
    for f in ('capabilities', 'products'):
        r[f] = sub_proc(r[f])
    parts = re.split(r'((?:Năng lực|Nang luc|Capacity): [^.]*\.)', r['description'])
    r['description'] = ''.join(p if i % 2 else sub_proc(p) for i, p in enumerate(parts))
    for f in ('materials', 'description'):
        r[f] = sub_mat(r[f])
    for f in ('certifications', 'description'):
        r[f] = sub_cert(r[f])
    d = r['description']
    d = re.sub(r'(Năng lực|Nang luc): (máy ép nhựa|may ep nhua) (\d+)-(\d+) (tấn|tan)', lambda m: m.group(1) + ': ' + cap_vi(m.group(3), m.group(4)), d)
    d = re.sub(r'(Năng lực|Nang luc): (máy ép từ|may ep tu) (\d+) (đến|den) (\d+) (tấn|tan)', lambda m: m.group(1) + ': ' + cap_vi(m.group(3), m.group(5)), d)
    d = re.sub(r'Capacity: (injection machines|clamping force) (\d+)(?:-| to )(\d+) tons', lambda m: 'Capacity: ' + cap_en(m.group(2), m.group(3)), d)
    d = re.sub(r'^Chuyên ', lambda m: rnd.choice(['Chuyên ', 'Chuyên về ', 'Công ty chuyên ', 'Lĩnh vực chính: ', 'Chuyên sản xuất và gia công ', 'Chuyên nhận ']), d)
    d = re.sub(r'^We specialize in ', lambda m: rnd.choice(['We specialize in ', 'We specialise in ', 'Our main business: ', 'Specialized in ',
                                                            'Main business is ', 'Our company specializes in ', 'Core business: ']), d)
    d = re.sub(r'Vật liệu: ', lambda m: rnd.choice(['Vật liệu: ', 'Vật liệu gia công: ', 'Nguyên vật liệu: ', 'Chất liệu: ']), d)
    d = re.sub(r'Materials: ', lambda m: rnd.choice(['Materials: ', 'Material: ', 'Materials used: ', 'Main materials: ', 'Mat\'l: ']), d)
    d = re.sub(r'Đạt chứng nhận ', lambda m: rnd.choice(['Đạt chứng nhận ', 'Chứng chỉ: ', 'Đã được chứng nhận ', 'Hệ thống quản lý: ', 'Chứng nhận: ']), d)
    d = re.sub(r'Certified ', lambda m: rnd.choice(['Certified ', 'Certificates: ', 'Certification: ', 'Certified to ', 'We hold ']), d)
    if profile == 'hard':
        d = re.sub(r'^(Chuyên|Chuyên về|Công ty chuyên|Chuyên nhận|Chuyên sản xuất và gia công) ', lambda m: rnd.choice(['Nhận gia công ', 'Sản xuất, gia công ', 'Dịch vụ ', 'Năng lực chính: ', 'Chuyên ']), d)
        d = re.sub(r'^(We specialize in|We specialise in|Our main business:|Specialized in|Main business is|Our company specializes in|Core business:) ', lambda m: rnd.choice(['Main process : ', 'Our strong point is ', 'Available process: ', 'We are good at ', 'Main products/process: ', 'We can do ']), d)
        d = re.sub(r'(Đạt chứng nhận|Chứng chỉ:|Đã được chứng nhận|Hệ thống quản lý:|Chứng nhận:) ', lambda m: rnd.choice(['Đạt ', 'Có chứng chỉ ', 'Áp dụng hệ thống ', 'Đã đạt chứng nhận ']), d)
        d = re.sub(r'(Certified|Certificates:|Certification:|Certified to|We hold) ', lambda m: rnd.choice(['Acquired ', 'Certificate : ', 'Quality system: ', 'Approved ']), d)
        if r['capabilities'] and rnd.random() < 0.3:
            r['capabilities'] = ''
    r['description'] = d
    # columns: ";" or "," or " / " separators
    for f in ('capabilities', 'certifications'):
        if r[f] and rnd.random() < 0.4:
            r[f] = r[f].replace('; ', rnd.choice([', ', ' / ', '\n', ' ; ', ' + ']))
    if r['materials'] and rnd.random() < 0.3:
        r['materials'] = r['materials'].replace(', ', rnd.choice(['; ', ' / ', '\n']))
    # Vietnamese without diacritics: the whole row, as a person typing without a Vietnamese keyboard
    if profile in ('mix', 'plain') and rnd.random() < (0.35 if profile == 'mix' else 0.9):
        for f in ('capabilities', 'materials', 'certifications', 'description', 'products'):
            r[f] = strip(r[f])
    return r

def cap_req_vi(t):
    return rnd.choice([f'Yêu cầu máy ép tối thiểu {t} tấn', f'Máy ép từ {t} tấn trở lên', f'Cần máy ép ≥ {t} tấn', f'Yêu cầu máy ép phun {t} tấn trở lên',
                       f'Lực kẹp tối thiểu {t} tấn', f'Máy ép nhựa tối thiểu {t}T', f'Yêu cầu có máy ép {t} tấn trở lên', f'Máy ép ≥{t}T'])
def cap_req_en(t):
    return rnd.choice([f'Requires injection machines of at least {t} tons', f'Injection press ≥ {t} t', f'Min. {t}T injection machine',
                       f'Needs {t} ton injection molding machine or larger', f'Clamping force min. {t} tons', f'Injection machine {t}T or above',
                       f'Press size: {t} tonnes minimum', f'Machine: {t}T up', f'At least {t}-ton injection presses'])
def demand(r):
    r['capabilities'] = sub_proc(r['capabilities'])
    r['material'] = sub_mat(r['material'])
    r['certifications'] = sub_cert(r['certifications'])
    d = r['description']
    # the description repeats the title; rephrase processes/materials/certs inside
    head, _, rest = d.partition('. ')
    rest = sub_cert(sub_mat(sub_proc(rest)))
    head2 = head
    head2 = re.sub(r', material (.*)$', lambda m: rnd.choice([f', material {sub_mat(m.group(1))}', f' in {sub_mat(m.group(1))}', f', {sub_mat(m.group(1))}', f', mat\'l: {sub_mat(m.group(1))}', f' ({sub_mat(m.group(1))})']), head2)
    head2 = re.sub(r', vật liệu (.*)$', lambda m: rnd.choice([f', vật liệu {sub_mat(m.group(1))}', f', chất liệu {sub_mat(m.group(1))}', f' bằng {sub_mat(m.group(1))}', f', {sub_mat(m.group(1))}', f' (vật liệu: {sub_mat(m.group(1))})']), head2)
    rest = re.sub(r'^Process: ', lambda m: rnd.choice(['Process: ', 'Processes: ', 'Manufacturing process: ', 'Required process: ', 'Method: ', 'Production process: ']), rest)
    rest = re.sub(r'^Công nghệ: ', lambda m: rnd.choice(['Công nghệ: ', 'Quy trình: ', 'Yêu cầu gia công: ', 'Phương pháp: ', 'Công đoạn: ', 'Gia công: ']), rest)
    rest = re.sub(r'Supplier must hold ', lambda m: rnd.choice(['Supplier must hold ', 'Certification required: ', 'Supplier must be certified ', 'Required certificate: ', 'Must have ']), rest)
    rest = re.sub(r'Nhà cung cấp cần có ', lambda m: rnd.choice(['Nhà cung cấp cần có ', 'Yêu cầu chứng chỉ ', 'NCC phải có ', 'Bắt buộc có chứng nhận ', 'Yêu cầu có ']), rest)
    rest = re.sub(r'Requires injection machines of at least (\d+) tons', lambda m: cap_req_en(m.group(1)), rest)
    rest = re.sub(r'Yêu cầu máy ép tối thiểu (\d+) tấn', lambda m: cap_req_vi(m.group(1)), rest)
    rest = re.sub(r'Annual volume (\d+)k pcs', lambda m: rnd.choice([f'Annual volume {m.group(1)}k pcs', f'EAU {m.group(1)},000 pcs', f'Qty {m.group(1)}K/year']), rest)
    r['description'] = head2 + '. ' + rest
    if profile == 'hard':
        # move requirements between their columns and the text
        if r['capabilities'] and rnd.random() < 0.5:
            r['capabilities'] = ''
        elif not r['capabilities'] and rnd.random() < 0.3:
            m = re.search(r'(?:Process|Processes|Manufacturing process|Required process|Method|Production process|Công nghệ|Quy trình|Yêu cầu gia công|Phương pháp|Công đoạn|Gia công): ([^.]*)\.', r['description'])
            if m:
                r['capabilities'] = m.group(1).replace(', ', '; ')
        if r['material'] and rnd.random() < 0.5:
            r['material'] = ''
        if r['certifications'] and rnd.random() < 0.5:
            r['certifications'] = ''
    if r['min_capacity']:
        t = r['min_capacity'].rstrip('T')
        r['min_capacity'] = rnd.choice([f'{t}T', f'{t} tons', f'{t} tấn', f'≥{t}t', f'{t} ton', f'min {t}T', f'{t}t+', f'{t} tonnes', f'>= {t} T'])
    if profile in ('mix', 'plain') and r['title'] and rnd.random() < (0.3 if profile == 'mix' else 0.9):
        for f in ('title', 'description', 'capabilities', 'material', 'certifications', 'min_capacity'):
            r[f] = strip(r[f])
    return r

with open(f'{DEV}/suppliers.csv', encoding='utf-8') as f:
    rd = csv.DictReader(f); hdr = rd.fieldnames; rows = [supplier(r) for r in rd]
with open(f'{out}/suppliers.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.DictWriter(f, hdr); w.writeheader(); w.writerows(rows)
with open(f'{DEV}/demands.csv', encoding='utf-8') as f:
    rd = csv.DictReader(f); hdr = rd.fieldnames; rows = [demand(r) for r in rd]
with open(f'{out}/demands.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.DictWriter(f, hdr); w.writeheader(); w.writerows(rows)
shutil.copy(f'{DEV}/qrels.tsv', f'{out}/qrels.tsv')
