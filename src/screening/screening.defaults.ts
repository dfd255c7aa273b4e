// Starting lists for a news site. Kept short on purpose: newsrooms extend them in the settings.
// War vocabulary (killed, shelling, massacre, martyr, regime, terrorist) is deliberately absent:
// it is the daily language of the reporting these comments discuss.
export const DEFAULT_BANNED_WORDS: string[] = [
  'fuck',
  'fucking',
  'motherfucker',
  'cunt',
  'faggot',
  'nigger',
  'kill yourself',
  'kys',
  'go die',
  'شرموط',
  'شرموطه',
  'عرص',
  'منيوك',
  'كس امك',
  'ابن الشرموطه',
]

export const DEFAULT_SUSPECT_WORDS: string[] = [
  'idiot',
  'stupid',
  'moron',
  'retard',
  'scum',
  'bitch',
  'ass',
  'asshole',
  'bastard',
  'shit',
  'غبي',
  'حمار',
  'خنزير',
  'حقير',
  'كلب',
  'تافه',
  'زبالة',
]
