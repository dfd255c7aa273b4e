// A labelled corpus for the screening pipeline: English and Arabic, abuse with every evasion the
// normaliser handles, spam, and many clean comments that resemble them (war vocabulary, names,
// words that contain a listed word). Labels are what the default word lists should decide on a
// post-moderated site for an established commenter.

export type Label = 'publish' | 'hold' | 'reject'

export interface CorpusEntry {
  text: string
  label: Label
  category: string
}

const cleanEnglish = [
  'Three civilians were killed in the shelling overnight, according to local medics.',
  'The massacre in the village must be investigated by an independent commission.',
  'My family left Saraqeb last winter; the roads were full of people walking north.',
  'Erdogan and Putin will meet again, but nothing changes for the people under the bombs.',
  'Assad has no interest in a ceasefire while his forces keep advancing.',
  'The article says 16 soldiers died this month. Is there an official count from the ministry?',
  'Humanitarian corridors were promised in 2018 too, and they were never respected.',
  'Thank you for reporting from Idlib when so few outlets still do.',
  'Where are the refugees supposed to go when the border is closed?',
  'Killing civilians is a war crime no matter which side does it.',
  'Artillery hit the hospital in Maarat al-Numan twice in one week.',
  'The regime and its allies bombed the market at noon, when it was most crowded.',
  'I disagree with the headline: the offensive started well before February.',
  'Terrorist groups exist in the province, but most people there are ordinary families.',
  'The airstrikes killed 22 people including nine children, the civil defence said.',
  'Turkey hosts 3.7 million refugees and cannot take more without help from Europe.',
  'Captain Naji Mustafa seems to be the only source for this claim; is it confirmed?',
  'Hulusi Akar spoke about retaliation, but what is the long-term plan?',
  'Sergei Shoigu said the talks were constructive. We have heard that before.',
  'It is shameful that the world watches a humanitarian catastrophe and does nothing.',
  'The death toll keeps rising and the reporting barely makes the front page anymore.',
  'Can you publish a map showing which towns changed hands this week?',
  'My uncle was shot at a checkpoint in 2013. These stories are personal for us.',
  'The Russian military statement contradicts what witnesses told reporters.',
  'Armoured vehicles crossed the border at Kafr Lusin, residents said.',
  'I hope the families of the soldiers find some peace.',
  'Rebels claim they destroyed five tanks; the footage has not been verified.',
  'Bombs do not distinguish between fighters and children.',
  'A ceasefire without monitors is just a pause before the next assault.',
  'Why is there no mention of the chemical attack investigations in this piece?',
  'The displaced camps near Atmeh are flooded again after the storms.',
  'Good, balanced reporting. Please keep covering the humanitarian side.',
  'The Anadolu report quoted in the article was updated later with a higher figure.',
  'Nairab was retaken within days; the front line moves too fast to follow.',
  'Peace talks in Astana and Sochi produced agreements nobody enforced.',
  'My thoughts are with everyone in the north-west of Syria tonight.',
  'The offensive on Idlib was predictable after the fall of Khan Sheikhoun.',
  'There were 53 regime soldiers reported killed, but who counted them?',
  'Please correct the spelling of Maarat al-Numan in the third paragraph.',
  'Wars end at negotiating tables, but only after far too many funerals.',
  'The UN Security Council vetoes have blocked aid deliveries repeatedly.',
  'Journalists in the region risk their lives to bring us these reports.',
  'Retaliation leads to more retaliation; someone has to stop first.',
  'Interesting analysis of the Turkish position, thank you.',
  'The hospitals have no fuel for generators; surgeons operate by torchlight.',
  'Syrian doctors abroad are organising donations for the field clinics.',
  'The assassination of commanders on both sides makes negotiations harder.',
  'History will judge the leaders who allowed this to continue.',
  'The blockade of the M5 highway is a strategic goal for Damascus.',
  'Could you interview some of the teachers still running schools in tents?',
  'It is 2 a.m. here and the drones have not stopped for hours.',
  'My grandmother refuses to leave her house in Ariha despite the shelling.',
  'Shells fell on a bakery queue; seven people died waiting for bread.',
  'The ministry posted the statement on Twitter before any journalist could verify it.',
  'Human rights groups documented attacks on at least 70 medical facilities.',
  'Pressure from Ankara and Moscow decides more than anything said in Geneva.',
  'A sober article. Too many outlets sensationalise these events.',
  'Some of these figures come from only one side and should be labelled as claims.',
  'Winter is the cruellest time to be displaced. Please donate if you can.',
  'The fighting has displaced nearly a million people since December.',
  'What does international law say about retaliatory strikes like these?',
  'We need more context on who the National Liberation Front actually are.',
  'Heavy artillery fire was reported near Saraqeb until early morning.',
  'A child in a camp told me she wants to be a doctor. I hope she gets the chance.',
  'Mass graves were found after the last offensive. This should be news everywhere.',
  'The soldiers on both sides are often conscripts who did not choose this.',
  'I have read three versions of this event and they all disagree on the numbers.',
  'Peace will need justice for the victims, not just a signed paper.',
  'Is there a way to send aid directly to the medical teams mentioned?',
  'The report mentions injuries from Russian airstrikes but gives no source.',
]

const cleanArabic = [
  'رحم الله الشهداء وحمى المدنيين في إدلب.',
  'القصف على معرة النعمان لم يتوقف منذ أيام.',
  'أين المجتمع الدولي من هذه المجزرة؟',
  'نزح أهلي من سراقب إلى المخيمات قرب الحدود.',
  'شكرا لكم على التغطية المستمرة للأحداث في الشمال السوري.',
  'قتل ثلاثة مدنيين في غارة جوية على السوق.',
  'الوضع الإنساني كارثي والمخيمات غارقة بالمياه.',
  'نريد أرقاما دقيقة عن عدد الضحايا من مصادر مستقلة.',
  'الحرب دمرت كل شيء، والأطفال يدفعون الثمن.',
  'تركيا لن تنسحب من إدلب كما قال أردوغان.',
  'المستشفيات بلا وقود ولا أدوية.',
  'الله يفرج عن أهلنا في الشمال.',
  'هذا تقرير متوازن، نرجو المزيد من التفاصيل عن المساعدات.',
  'القوات التركية أرسلت تعزيزات إلى ريف إدلب.',
  'أطالب بتحقيق دولي في استهداف المستشفيات.',
  'الهدنة لم تصمد أكثر من يومين.',
  'عائلتي ما زالت في أريحا تحت القصف.',
  'المدنيون هم الضحية الأولى في كل حرب.',
  'قرأت الخبر في وكالة الأناضول أيضا.',
  'لماذا لا تذكرون عدد النازحين في هذا الشهر؟',
  'نسأل الله السلامة لكل الناس هناك.',
  'الطائرات الروسية قصفت المدرسة صباحا.',
  'المعارضة تقول إنها استعادت قرية النيرب.',
  'هناك تناقض بين بيان وزارة الدفاع وروايات الشهود.',
  'الشتاء قاس على النازحين في الخيام.',
  'نحتاج إلى ممرات إنسانية آمنة فورا.',
  'كل التضامن مع أهالي إدلب.',
  'الأخبار من سراقب مقلقة جدا.',
  'أرجو تصحيح اسم البلدة في الفقرة الثانية.',
  'الصحفيون هناك يخاطرون بحياتهم لنقل الحقيقة.',
  'الوضع في الشمال يحتاج إلى حل سياسي عادل.',
  'المجازر يجب أن توثق ويحاسب المسؤولون عنها.',
  'قتل الجنود من الطرفين مأساة لعائلاتهم.',
  'أتمنى أن يعود النازحون إلى بيوتهم قريبا.',
  'الكلام عن وقف إطلاق النار لا معنى له دون ضمانات.',
  'المساعدات لا تصل إلى المخيمات البعيدة.',
  'شكرا على الخريطة، كانت مفيدة جدا.',
  'لماذا يصمت العالم أمام هذا الدمار؟',
  'الأطباء يعملون في ظروف مستحيلة.',
  'سلام على أرواح الضحايا.',
]

const englishTraps = [
  'A classic mistake by the commanders, repeating the 2016 offensive.',
  'The passage through the Bab al-Hawa crossing was closed for two days.',
  'We need an honest assessment of the ceasefire before praising it.',
  'The assassination of the governor changed the balance in the province.',
  'The embassy issued a travel warning for the whole region.',
  'Grassroots groups are running the bakeries now.',
  'The analysis in the second section was excellent.',
  'Scunthorpe United fans raised money for the camps, a nice story.',
  'The mass exodus from the south has overwhelmed the camps.',
  'Cocktails of misinformation spread faster than the facts.',
  'Essex and Sussex councils offered to resettle families.',
  'A bass player from Aleppo now teaches music in the camp school.',
  'They had to reassess the shelter plans after the floods.',
  'The Therapists Without Borders team arrived in Atmeh.',
  'Classified documents about the offensive were leaked.',
  'The harassment of aid workers at checkpoints must stop.',
  'Compassion is not weakness; it is what keeps people alive here.',
  'The class of 2020 in Idlib took their exams in basements.',
  'She passed the message through three intermediaries.',
  'The ambassador called the situation a catastrophe.',
  'He said the raid was a matter of national honour.',
  'The skills of the civil defence volunteers save lives daily.',
  'Dickens wrote about poverty; this is worse.',
  'A shell hit the Hellfire-damaged bridge again.',
  'The Assad government denied the reports.',
]

const moreTraps = [
  'The stupidity of this war is beyond words.',
  'Idiotic decisions by generals cost lives.',
  'Hassan and Bassam were among the wounded.',
  'Abbas, Assaf and Nassif signed the statement.',
  'Massoud Barzani commented on the crisis.',
  'Cassandra-like warnings were ignored by the council.',
  'Amnesty International called it a war crime.',
  'Kassab is a town in Latakia province.',
  'Shiite militias were also reported near the front.',
  'The bastion of the opposition is now surrounded.',
  'A scumbling layer of dust covered everything after the blast.',
  'Hitchcock films were shown in the camp cinema.',
  'التحقيق في الأحداث مطلوب.',
]

const arabicTraps = [
  'عرصات المدينة القديمة تضررت بالقصف.',
  'كسر الحصار هو أولوية الفصائل الآن.',
  'الكسب السياسي لا يبرر قتل المدنيين.',
  'الحمراء بلدة صغيرة قرب حماة.',
  'التكالب على السلطة دمر البلد.',
  'المغتربون يكسبون القليل ويرسلونه لأهلهم.',
  'مدينة الكسوة تقع جنوب دمشق.',
  'الاستكبار الدولي لا يهتم بالضحايا.',
  'الكلبشات وضعت في أيدي المعتقلين كما قال الشهود.',
  'الغبار غطى المخيم بعد العاصفة.',
]

// --- evasions applied to listed words ------------------------------------------------------

const spreadDots = (w: string) => [...w].join('.')
const spreadSpaces = (w: string) => [...w].join(' ')
const leet = (w: string) =>
  w.replace(/i/g, '1').replace(/o/g, '0').replace(/e/g, '3').replace(/a/g, '4').replace(/s/g, '$').replace(/t/g, '7')
const cyrillic = (w: string) => w.replace(/a/g, 'а').replace(/o/g, 'о').replace(/e/g, 'е').replace(/c/g, 'с').replace(/p/g, 'р')
const zeroWidth = (w: string) => [...w].join('\u200b')
const fullWidth = (w: string) => [...w].map((c) => (c >= 'a' && c <= 'z' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('')
const squeeze = (w: string) => w.replace(/([aeiou])/, '$1$1$1$1')
const upper = (w: string) => w.toUpperCase()
const bidi = (w: string) => `\u202e${w}\u202c`
const softHyphen = (w: string) => [...w].join('\u00ad')

const englishEvasions: [string, (w: string) => string][] = [
  ['plain', (w) => w],
  ['upper', upper],
  ['spread-dots', spreadDots],
  ['spread-spaces', spreadSpaces],
  ['leet', leet],
  ['cyrillic', cyrillic],
  ['zero-width', zeroWidth],
  ['full-width', fullWidth],
  ['squeeze', squeeze],
  ['bidi', bidi],
  ['soft-hyphen', softHyphen],
]

const tashkeel = (w: string) => [...w].map((c, i) => (i % 2 === 0 ? `${c}\u064e` : `${c}\u0650`)).join('')
const tatweel = (w: string) => [...w].join('\u0640\u0640')
const withPrefix = (prefix: string) => (w: string) => `${prefix}${w}`
const alefVariant = (w: string) => w.replace(/ا/g, 'أ')
const taMarbuta = (w: string) => w.replace(/ه$/, 'ة')

const arabicEvasions: [string, (w: string) => string][] = [
  ['plain', (w) => w],
  ['tashkeel', tashkeel],
  ['tatweel', tatweel],
  ['prefix-wa-al', withPrefix('وال')],
  ['prefix-al', withPrefix('ال')],
  ['prefix-fa', withPrefix('ف')],
  ['zero-width', zeroWidth],
  ['ta-marbuta', taMarbuta],
  ['alef-hamza', alefVariant],
]

const englishBanned = ['fuck', 'cunt', 'motherfucker']
const englishSuspect = ['idiot', 'stupid', 'moron']
const arabicBanned = ['شرموطه', 'منيوك', 'عرص']
const arabicSuspect = ['غبي', 'حقير', 'خنزير']

function wrapEnglish(word: string, i: number) {
  const frames = [
    (w: string) => `You are a ${w} for writing this.`,
    (w: string) => `What a ${w} take on the war.`,
    (w: string) => `Only a ${w} would believe the ministry.`,
  ]
  return frames[i % frames.length]!(word)
}

function wrapArabic(word: string, i: number) {
  const frames = [(w: string) => `انت ${w} يا كاتب المقال`, (w: string) => `هذا الكلام ${w} جدا`, (w: string) => `يا ${w} اسكت`]
  return frames[i % frames.length]!(word)
}

function evaded(
  words: string[],
  evasions: [string, (w: string) => string][],
  wrap: (w: string, i: number) => string,
  label: Label,
  category: string,
): CorpusEntry[] {
  const entries: CorpusEntry[] = []
  let i = 0
  for (const word of words) {
    for (const [name, evade] of evasions) {
      entries.push({ text: wrap(evade(word), i++), label, category: `${category}/${name}` })
    }
  }
  return entries
}

const multiWord: CorpusEntry[] = [
  { text: 'Just kill yourself already.', label: 'reject', category: 'banned-en/multi-word' },
  // "kill yourself" holds rather than rejects: in real comments it is as often "don't kill yourself".
  { text: 'kill     yourself, nobody cares', label: 'hold', category: 'suspect-en/multi-word-spaces' },
  { text: 'KILL\u200bYOURSELF', label: 'hold', category: 'suspect-en/joined-multi-word' },
  { text: 'go kill yourself, nobody cares', label: 'reject', category: 'banned-en/multi-word' },
  { text: 'Go die in the rubble, traitor.', label: 'reject', category: 'banned-en/multi-word' },
  { text: 'كس امك يا كاذب', label: 'reject', category: 'banned-ar/multi-word' },
  { text: 'كس   أمك', label: 'reject', category: 'banned-ar/multi-word-alef' },
  { text: 'Soldiers kill civilians and then blame each other.', label: 'publish', category: 'clean-en/kill' },
  { text: 'They threatened to kill the mayor himself.', label: 'publish', category: 'clean-en/kill' },
]

const spam: CorpusEntry[] = [
  {
    text: 'Cheap flights to anywhere! http://cheap-fly.ru http://cheap-fly.ru/deals http://bit.ly/xyz',
    label: 'hold',
    category: 'spam/links',
  },
  { text: 'Earn money from home www.fast-cash.biz www.fast-cash.biz/join www.easy.win', label: 'hold', category: 'spam/links' },
  { text: 'Visit casino-royal.xyz and bonus-spins.club and jackpot.top today', label: 'hold', category: 'spam/bare-domains' },
  { text: 'BUY FOLLOWERS NOW BEST PRICES GUARANTEED CONTACT US TODAY', label: 'hold', category: 'spam/shouting' },
  { text: 'WIN WIN WIN WIN WIN WIN WIN prizes every day', label: 'hold', category: 'spam/repetition' },
  { text: 'اربح المال من البيت www.rbh.site www.rbh.site/a www.rbh.site/b', label: 'hold', category: 'spam/links-ar' },
  { text: 'Crypto signals https://t.me/signals https://t.me/vip https://pump.io', label: 'hold', category: 'spam/links' },
  { text: 'Loans approved instantly!!!!!!!!!!!!!!!!!!!!!!!! call now', label: 'hold', category: 'spam/repetition' },
  { text: 'Enough!!!!!!!!!!! They must stop the shelling now.', label: 'publish', category: 'clean-en/emphasis' },
  { text: 'Figures since 2011................ still no answers -------------------', label: 'publish', category: 'clean-en/separators' },
  { text: 'Best VPN deals vpn-deal.com, vpn-best.net, vpnfast.org', label: 'hold', category: 'spam/bare-domains' },
  { text: 'THIS ARTICLE IS PROPAGANDA AND EVERYONE KNOWS IT, WAKE UP PEOPLE', label: 'hold', category: 'shouting' },
  { text: 'NOOOOOOOOOOOOOOOO this cannot be true', label: 'publish', category: 'stretched-word' },
  { text: 'هههههههههههههههههه صدقت', label: 'publish', category: 'laughter-ar' },
  { text: '😂😂😂😂😂😂😂😂😂😂😂😂 exactly', label: 'publish', category: 'emoji-run' },
  // A suspect word with an attached pronoun holds, even when the animal is literal: a moderator decides.
  { text: 'كلبي الصغير مات تحت الركام.', label: 'hold', category: 'suspect-ar/attached-pronoun' },
  { text: 'حمارنا نقل الماء إلى الخيمة.', label: 'hold', category: 'suspect-ar/attached-pronoun' },
  { text: 'خنازير برية دخلت الحقول بعد نزوح المزارعين.', label: 'hold', category: 'suspect-ar/broken-plural' },
  { text: 'ياكلب يا خاين', label: 'hold', category: 'suspect-ar/joined-vocative' },
  { text: 'You are all idiots and morons', label: 'hold', category: 'suspect-en/plural' },
  { text: 'lies lies lies lies lies lies lies lies', label: 'hold', category: 'repetition' },
  { text: 'كذب كذب كذب كذب كذب كذب كذب', label: 'hold', category: 'repetition-ar' },
  { text: 'Read the UN report at https://reliefweb.int/report/syria for the numbers.', label: 'publish', category: 'clean-en/one-link' },
  { text: 'The OCHA page ocha.org has the latest displacement figures.', label: 'publish', category: 'clean-en/one-link' },
  { text: 'UN, WHO and NATO statements are all linked in the piece.', label: 'publish', category: 'clean-en/acronyms' },
  { text: 'Figures: 455 killed, 1,300 injured, 7 hospitals hit.', label: 'publish', category: 'clean-en/numbers' },
]

export const corpus: CorpusEntry[] = [
  ...cleanEnglish.map((text) => ({ text, label: 'publish' as const, category: 'clean-en' })),
  ...cleanArabic.map((text) => ({ text, label: 'publish' as const, category: 'clean-ar' })),
  ...englishTraps.map((text) => ({ text, label: 'publish' as const, category: 'clean-en/substring' })),
  ...arabicTraps.map((text) => ({ text, label: 'publish' as const, category: 'clean-ar/substring' })),
  ...moreTraps.map((text) => ({ text, label: 'publish' as const, category: 'clean/substring-or-name' })),
  ...evaded(englishBanned, englishEvasions, wrapEnglish, 'reject', 'banned-en'),
  ...evaded(englishSuspect, englishEvasions, wrapEnglish, 'hold', 'suspect-en'),
  ...evaded(arabicBanned, arabicEvasions, wrapArabic, 'reject', 'banned-ar'),
  ...evaded(arabicSuspect, arabicEvasions, wrapArabic, 'hold', 'suspect-ar'),
  ...multiWord,
  ...spam,
]
