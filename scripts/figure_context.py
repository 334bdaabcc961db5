"""What a number in a line is about: the noun it counts, what happened to it, the words around it,
and how it relates to the numbers beside it. The figure engine's second layer, between
:mod:`numerals` (what the number is) and :mod:`extract_figures` (which metric claims it).

For every ``num`` token of a line, :func:`read_line` gives a :class:`Context`:

* ``noun``: the catalog noun it counts, found, in this order of preference,
  after it ("86 tasks", "86項任務", "356 modern service firms": modifiers may stand between),
  before it in the same clause ("改革探索40余項", "Tasks implemented: 69"), from the whole it is
  a part of ("Of the 86 tasks, 69 have ..."), or from the previous number of the sentence
  that had one ("86 tasks planned, 69 done"). Only catalog nouns are known, so a number of
  something else ("40 enterprises", "40家企業") finds none, or a measure word that does not fit.
* ``events``: the catalog events of its clause that belong to it (each event goes to the nearest
  number of its clause that is not a whole), with a state: ``done`` ("have been carried out",
  "the implementation of", "已實施", "落地"), ``planned`` ("will implement", "to be completed",
  "推動…全面落實", "將實施") or ``ongoing`` ("carrying out", "being implemented").
* ``clause_done``: every catalog event done anywhere in its clause (a total is never claimed
  beside one, since the clause then speaks of progress).
* ``relations`` (:func:`relations`): ``part`` of a ``whole`` ("69 of the 86", "Of the 86 …, 69",
  "86項任務已實施69項", "86項中…69項"), ``share`` of a part ("69 (80.2%)", "69, or 80.2%",
  "accounting for 80.2%", "占80.2%") or of a whole ("80.2% of the 86 tasks").
* ``names`` right before it ("implementation rate of 80.2%", "為期三年") and ``with`` words in
  its clause.

Nothing here knows a metric by name: the words come from the catalog (:mod:`catalog`), the
grammar of relations and tense is English and Chinese, and it is written down below as data.
"""

import re
from dataclasses import dataclass, field

import catalog as catalog_module
import numerals

# ----------------------------------------------------------------------------------- grammar data
#: Clause ends: a number's event, ``with`` words and look-back stay inside its clause.
CLAUSE_END = {"en": ",;", "zh": ",;，；。！？!?）)"}  # a Chinese dateline "（2023年3月20日）" is a clause
#: Chinese ；ends a sentence; English ; only a clause ("75 tasks; 57 (76%) have been implemented").
ZH_SENTENCE_END = set("；;")
SENTENCE_END = set("。？！?!")
#: English words that end the noun phrase after a number (the noun must come before them).
EN_NP_STOP = set("""
have has had is are was were be been being will would shall should can could may might must do does did
to of in on at for by with from since that which who whose as than into under over across among amongst
during including such while where when after before so but or nor its their this these those the a an
not also already still each per out up about around between within without until through against
""".split())
#: Words between a number and its noun that are modifiers even though they look plural.
EN_PLURAL_MODIFIERS = {"services", "goods", "sciences", "logistics", "economics", "affairs", "sales", "news",
                       "ports", "trades", "arts", "various", "numerous", "previous", "famous", "its"}
#: English words before an event that make it planned, not done (up to three words between).
EN_PLANNED = re.compile(
    r"\b(?:will|shall|would|plans?\s+to|planned\s+to|planning\s+to|aims?\s+to|aiming\s+to|aimed\s+to|"
    r"seeks?\s+to|seeking\s+to|strives?\s+to|striving\s+to|expected\s+to|set\s+to|going\s+to|intends?\s+to|"
    r"intended\s+to|needs?\s+to|must|should|hopes?\s+to|promote|promoting|push|pushing|advance|advancing|"
    r"accelerate|accelerating|ensure|ensuring|speed\s+up|step\s+up|drive|driving|deepen|deepening|full|fully|"
    r"comprehensive|comprehensively|further|remaining|remain|yet|"
    r"to(?=\s+(?!the\b|a\b|an\b|its\b|their\b|this\b|that\b|these\b|those\b|date\b|end\b|some\b|all\b)))\b"
    r"(?:\s+\S+){0,3}\s*$")
#: Auxiliaries before an English participle: the event is said of the number before it
#: ("69 have been carried out"); otherwise of the number after it ("carried out 69 tasks").
EN_AUX = re.compile(r"\b(?:have|has|had|been|were|was|are|is|be|being|now)\s+(?:\S+\s+)?$")
#: ... unless a pronoun is the subject: "in seven months we have implemented 41 of them".
EN_PRONOUN_AUX = re.compile(r"\b(?:we|they|i|you|he|she|it)\s+(?:have|has|had|'ve)\s+(?:\S+\s+)?$")
EN_HYPOTHETICAL = re.compile(r"\b(?:would|could|should|might|must|may)\s+(?:not\s+)?have\s+(?:\S+\s+){0,2}$")
EN_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|yet\s+to|failed\s+to|fail\s+to)\b(?:\s+\S+){0,2}\s*$")
EN_ONGOING = re.compile(r"\b(?:being|under\s+way|underway)\s*$")
#: Chinese words before an event (same clause) that make it planned; done words win over them.
ZH_PLANNED = ("将", "要", "计划", "拟", "力争", "确保", "推动", "推进", "争取", "加快", "全面", "努力", "着力",
              "进一步", "预计", "目标", "需要", "需", "应当", "应", "有望", "准备", "继续", "持续", "待", "尚未",
              "未", "还", "仍", "由", "分工")  # 由各单位分工落实: to be carried out by, an assignment
ZH_DONE = ("已经", "已", "累计", "共计", "共", "先后", "相继", "陆续", "均已")
#: Words just before a number that make it a subset, never a total ("the remaining 19 tasks", "剩餘19項").
EN_SUBSET = re.compile(r"\b(?:remaining|outstanding|other|another|additional|further|extra|unfinished|pending|still|"
                       r"the\s+rest\s+of\s+the|the\s+last|newly\s+added|a\s+further)\s+(?:\S+\s+)?$")
#: ... or just after its noun ("16 tasks to go", "16 tasks left").
EN_SUBSET_AFTER = re.compile(r"^\s*(?:to\s+go|left|remaining|remain|remains|remained|outstanding|yet\s+to|still\s+to|"
                             r"still\s+pending|(?:are\s+|is\s+|remain\s+)?still\s+(?:open|outstanding|pending|"
                             r"unfinished|in\s+progress|under\s+way|to\s+(?:do|be\s+done)))\b")
#: A clause about the tasks taken first ("25 tasks to be started first", "15 tasks were put at the
#: front of the queue", "跨境金融领域15项任务率先启动"): its count is a first batch, never a running
#: figure or a total. (A verb of taking first; "首批" before a number is ZH_SUBSET's.)
EN_FIRST_BATCH = re.compile(r"\b(?:started|launched|begun|tackled|taken\s+up)\s+first\b|"
                            r"\bfront\s+of\s+the\s+(?:queue|line)\b|\bprioriti[sz]ed\b|\bgiven\s+priority\b|"
                            r"\bfast[-\s]tracked\b|\bhead\s+of\s+the\s+queue\b")
ZH_FIRST_BATCH = re.compile(r"率先(?:启动|啟動|实施|實施|推进|推進|开展|開展)|优先(?:启动|实施|推进|开展)|"
                            r"優先(?:啟動|實施|推進|開展)")
#: An earlier value beside the current one ("up from 41 a year earlier", "比上年增加9項") is never the figure.
EN_EARLIER = re.compile(r"\b(?:up|down|rising|rose|risen|increased|grew|jumped|climbed|fell|dropped)\s+(?:from|by)\s+$|"
                        r"\b(?:an?\s+)?(?:increase|rise|drop|fall|decrease|gain)\s+of\s+$|"
                        r"\b(?:compared\s+with|compared\s+to|against|versus|vs\.?)\s+(?:\S+\s+)?$")
ZH_EARLIER = re.compile(r"(?:比|较|較|同比|环比|增加|新增|减少)\S{0,4}$|新(?:实施|完成|落地|落实|推出|开展|启动|出台)|"
                        r"首批|优先启动|率先启动|第[一二三四五六七八九十]+批")
#: What is left of a whole ("the remaining 19", "剩餘19項", "其中8個"): never a running figure of any
#: metric. ("Another 15", "另有20項" may be more of the same or a new kind: only never a total.)
EN_REMAINING = re.compile(r"\b(?:remaining|outstanding|unfinished|pending|the\s+rest\s+of\s+the|the\s+last|the\s+other|"
                          r"a\s+further|another|an\s+additional|additional)\s+(?:\S+\s+)?$")
ZH_REMAINING = re.compile(r"(?:剩余|剩下|余下|其余|尚有|尚余|未完成的?|其中)\S{0,2}$")
#: A comparison before a Chinese number ("較上季度增加9項", "比去年多"): a change, never the figure.
ZH_COMPARED = re.compile(r"(?:比|较|較|同比|环比)\S{0,6}$")
#: "nineteen cases -- four of which were ...": a part of what was just named.
EN_OF_WHICH = re.compile(r"\s+of\s+(?:which|whom)\b")
#: A clause about what will or may happen, not what has: its counts are not running figures of
#: outputs ("next year we will launch another 15 projects", "Projects under negotiation | 40").
EN_FUTURE = re.compile(r"\b(?:will|shall|plans?\s+to|planned|aims?\s+to|intends?\s+to|(?:is|are)\s+expected\s+to|"
                       r"under\s+negotiation|in\s+the\s+pipeline|next\s+year|to\s+be\s+[a-z]+(?:ed|en|t))\b")
#: A count signed is one promised, not one landed: "signed 45 service projects", "60 projects signed at
#: the fair" (the verb governs the count: "signed 45 contracts and launched 30 projects" keeps the 30).
EN_SIGNED_BEFORE = re.compile(r"\b(?:signed|signing)\s+(?:(?:up|on)\s+)?(?:(?!and\b|then\b)[a-z-]+\s+){0,2}$")
EN_DEALS = re.compile(r"(?:\s+[a-z-]+){0,3}?\s+(?:project|deal|contract|agreement|investment)s?\b")
EN_SIGNED_AFTER = re.compile(r"^(?:\s+[a-z-]+){0,3}?\s+(?:(?:were|was|have\s+been|had\s+been)\s+)?signed\b(?!\s+off)")
ZH_FUTURE = re.compile(r"将|計劃|计划|拟|擬|力争|力爭|明年|下一步|洽谈|洽談|意向")
#: ... and a project signed ("签约项目86个"), unless it landed too ("签约并落地", "签约后落地").
ZH_SIGNED = re.compile(r"(?:签约|签订|签署)(?!并|和|及|后|後|以后|之后)")
#: Another programme named before a number in its sentence ("a separate programme, which has 24
#: tasks", "另一个方案"): its figures are not this pilot's (like the catalog's ``elsewhere``).
OTHER_PROGRAMME = {
    "en": re.compile(r"(?<!\bno\s)\b(?:separate|different|another|other)\s+(?:(?!of\b|the\b|part\b|parts\b)[a-z'-]+\s+)"
                     r"{0,3}?(?:programme|program|plan|scheme|initiative)s?\b|"
                     r"\b(?:another|other|neighbou?ring|sister|nearby)\s+(?:city|cities|city's|province|provinces|"
                     r"province's|region|regions|municipality|municipalities|pilot|pilots)\b|\bprovincial\s+plan\b"),
    "zh": re.compile(r"另一(?:个|项)?[^，,；;。]{0,8}?(?:方案|计划|规划)|其他[^，,；;。]{0,6}?(?:方案|计划|规划)|"
                     r"兄弟城市|兄弟省市|周边城市|外省|外市"),
}
#: ... unless it is named to compare ("Unlike other plans, ours has 97 tasks", "与其他方案相比", "除其他规划外").
OTHER_COMPARED = {"en": re.compile(r"\b(?:unlike|than|besides|apart\s+from|compared\s+(?:with|to)|like|as\s+in)"
                                   r"\s+(?:the\s+|many\s+|most\s+|all\s+)?$"),
                  "zh": re.compile(r"(?:与|和|跟|比起|比|除了|除|较)$")}
ZH_OTHER_COMPARED_AFTER = re.compile(r"^\S{0,4}?(?:相比|比较|比較|以外|之外|外)")
ZH_SUBSET = re.compile(r"(?:首批|剩余|剩下|余下|其余|其他|另外|另有|尚有|还有|尚余|未完成的?|其中|第[一二三四五六七八九十]+批)\S{0,2}$")
#: A near deadline in a clause whose event is planned: the number is a target ("aims to complete 57
#: tasks by June", "力爭年內完成57項"), not the plan's total ...
EN_DEADLINE = re.compile(r"\bby\s+(?:the\s+end\s+of\s+|end-|mid-|the\s+middle\s+of\s+)?(?:january|february|march|"
                         r"april|may|june|july|august|september|october|november|december|[0-9]{4}|year-end|"
                         r"the\s+year|this\s+year|next\s+year|the\s+quarter)|\b(?:this|next)\s+(?:year|quarter|"
                         r"month)\b|\bwithin\s+(?:the|this)\s+(?:year|quarter|month)\b|\bbefore\s+the\s+end\s+of")
ZH_DEADLINE = re.compile(r"(?<![一二三四五六七八九十两0-9])年内|今年|明年|年底|年末|上半年|下半年|季度|本月|月底|底前|月前|年前")
#: ... unless the whole set is meant ("all 86 tasks", "the 86 tasks of the plan", "86項任務全部完成").
EN_DEFINITE = re.compile(r"\b(?:all|the|its|their|each\s+of\s+the|every\s+one\s+of\s+the)\s+(?:\S+\s+){0,2}$")
ZH_DEFINITE = re.compile(r"全部|全面|所有|各项|全数")
#: Words after a table value that make it the plan's figure ("99 planned", "120 in plan", "目標120項").
PLAN_TOTAL_AFTER = {"en": re.compile(r"\s*(?:planned|in\s+(?:the\s+)?plan|scheduled|targeted|target|in\s+total)\b"),
                    "zh": re.compile(r"\s*[（(]?(?:计划|目标|总数|合计)")}
#: A row label that makes the row a part of the one above ("其中：專項資金政策", "of which: new").
OF_WHICH_LABEL = re.compile(r"\s*(?:其中|內含|内含|(?i:of\s+which|including|incl\.|among\s+them|thereof))\s*[：:,，]?")
#: Column headings whose values are a part or a change of the row's figure ("本季度新增", "其中：外资",
#: "New this quarter", "Change"), never the figure itself.
PART_HEADING = re.compile(r"新增|增加|增量|增减|增幅|变化|變化|變動|变动|其中|同比|环比|環比|"
                          r"(?i:\bnew\b|\badded\b|\bchange\b|\bincrease\b|\bof\s+which\b|"
                          r"\bq-?o-?q\b|\by-?o-?y\b|\bdelta\b)")
#: A row label of what is left ("Remaining tasks", "未完成任務"): a part, never the figure.
REMAINING_LABEL = re.compile(r"(?i:.*\b(?:remaining|outstanding|unfinished|pending|left|to\s+go|yet\s+to|"
                             r"still\s+to(?:\s+be)?\s+(?:done|completed|implemented|carried\s+out))\b)"
                             r"|\s*(?:剩餘|剩余|剩下|餘下|余下|尚未|未完成|待完成|未落實|未落实)")
#: Column headings of remarks: their numbers are not the row's figure.
NOTES_HEADING = re.compile(r"(?i:notes?|remarks?|comments?|备注|備註|说明|說明|附注|附註)")
#: Words after a Chinese count that show nothing is named after it ("改革舉措40餘項陸續推出").
ZH_AFTER_COUNT = re.compile(r"(?:已|将|均|都|也|正|共|陆续|先后|相继|分别|全部|顺利|基本|累计|获|得到|通过)")
#: Chinese verbs that end the noun phrase after a number ("11個區新增…任務": 區 is what is counted).
ZH_NP_VERBS = "新增|提出|形成|开展|出台|发布|印发|推出|建成|设立|成立|签约|引进|涉及|包括|覆盖|获得|获|参与|共有|达到"
#: Chinese measure words any count may take; the others (家, 人, 元...) name another kind of thing.
ZH_GENERIC_COUNTERS = set("個个項项條条件份類类種种批例")

PUA = 0xE000  # a number token in a skeleton line: chr(PUA + index)
_T = "[\ue000-\uf8ff]"
_N = "[^\ue000-\uf8ff"   # start of a class of characters that are not numbers
_DET = (r"(?:(?:the|all|its|their|our|your|his|her|these|those|a\s+total\s+of|the\s+total|the\s+[a-z]+'s|"
        r"[a-z]+'s)\s+)?"
        r"(?:(?:planned|scheduled|listed|required|original|overall|plan|pilot|targeted)\s+)?")
_SHARE_WORDS = (r"(?:or|accounting\s+for|which\s+accounts\s+for|representing|which\s+represents|making\s+up|"
                r"which\s+is|which\s+was|which\s+comes\s+to|that\s+comes\s+to|"
                r"which\s+makes\s+up|equal\s+to|equivalent\s+to|i\.e\.|that\s+is|about|some|amounting\s+to|"
                r"a\s+share\s+of|a\s+proportion\s+of|a\s+rate\s+of|a\s+ratio\s+of|or\s+about|or\s+some|or\s+roughly)")

# Relations, as regular expressions over a line whose numbers are single characters. Groups:
# n = part, m = whole, p = percentage. A share whose n is a whole is moved to that whole's part.
EN_RELATIONS = [
    ("whole", re.compile(r"\b(?:how\s+many|many|most|some|all|none|several|few|any|half|which|each)\s+of\s+"
                         + _DET + r"(?P<m>" + _T + r")")),
    ("part", re.compile(r"(?P<n>" + _T + r")(?:\s+[a-z]+){0,2}?(?:\s*\([^()]*\))?\s+(?:out\s+)?of\s+" + _DET
                        + r"(?P<m>" + _T + r")")),
    ("part", re.compile(r"(?:^|[.;:)]\s*|,\s*|\bthat\s+|\bsaid\s+|\band\s+)(?:of|among|amongst|out\s+of|from|within)\s+"
                        + _DET + r"(?P<m>" + _T + r")" + _N + r";.]{0,90}?,\s*(?:(?!and\b)[a-z']+\s+){0,5}?"
                        r"(?P<n>" + _T + r")(?!\s+(?:out\s+)?of\b)")),
    ("part", re.compile(r"(?P<m>" + _T + r")" + _N + r";.]{0,60}?[,;:(]\s*(?:of\s+(?:which|them|these|those)|"
                        r"including|among\s+(?:which|them|these))\s+(?:(?:the|a|an|our|its|their)\s+[a-z]+\s+"
                        r"(?:counts|lists|puts|reports|records|says|gives)\s+)?(?P<n>" + _T + r")")),
    ("part", re.compile(r"(?P<n>" + _T + r")\s*[/／]\s*(?P<m>" + _T + r")")),
    ("part", re.compile(r"(?P<m>" + _T + r")" + _N + r";.]{0,60}?,\s*(?P<n>" + _T + r")\s+of\s+(?:(?:which|them|whom)\b|"
                        r"(?:these|those)\b(?!\s+[a-z]))")),
    ("part", re.compile(r"(?P<m>" + _T + r")" + _N + r"]{0,60}?\.\s+(?:[a-z]+\s+){0,3}?(?P<n>" + _T
                        + r")\s+of\s+(?:them\b|(?:these|those)\b(?!\s+[a-z]))")),
    ("part", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,30}?,\s*out\s+of\s+(?P<m>" + _T + r")")),
    ("part", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,40}?,?\s*out\s+of\s+(?:a|the)\s+(?:overall\s+)?"
                        r"(?:total|plan|target|tally)\s+of\s+(?P<m>" + _T + r")")),
    ("part", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,60}?\b(?:under|in|from|against)\s+(?:a|the|its|our|their)\s+"
                        r"(?:overall\s+)?(?:plan|programme|program)\s+(?:that|which)\s+(?:lists|listed|has|had|"
                        r"contains|contained|sets\s+out|set\s+out|includes|included|counts|counted)\s+(?P<m>" + _T
                        + r")(?!\s*[a-z])")),  # (a bare size: not "a programme that has 12 pilot districts")
    ("share3", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,60}?,\s*(?P<p>" + _T + r")\s+of\s+" + _DET
                          + r"(?P<m>" + _T + r")")),
    ("share3", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,40}?(?:out\s+)?of\s+(?:(?:a|the)\s+(?:overall\s+)?"
                          r"(?:total|plan|target|tally)\s+of\s+)?" + _DET + r"(?P<m>" + _T + r")" + _N
                          + r";.]{0,40}?(?:--|—|–|,|;|:)\s*" + _SHARE_WORDS + r"\s+(?P<p>" + _T + r")")),
    ("share", re.compile(r"(?P<n>" + _T + r")" + _N + r"();.]{0,60}?\(\s*(?:or\s+|about\s+|some\s+|roughly\s+|"
                         r"i\.e\.\s+|that\s+is\s+|equal\s+to\s+|representing\s+|accounting\s+for\s+)?(?P<p>" + _T
                         + r")[^()]{0,30}\)")),
    ("share", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,100}?(?:,|--|—|–)\s*" + _SHARE_WORDS + r"\s+"
                         r"(?:about\s+|some\s+|roughly\s+|nearly\s+|around\s+|just\s+)?(?P<p>" + _T + r")")),
    ("share", re.compile(r"(?P<n>" + _T + r")" + _N + r";,.]{0,50}?\s(?:accounting\s+for|representing|or|"
                         r"making\s+up)\s+(?P<p>" + _T + r")")),
    ("share", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,70}?,\s*(?P<p>" + _T + r")(?=\s*(?:of\s+(?:the\s+)?"
                         r"(?:total|all|them|whole|plan|overall\s+plan|target)\b|[,.;)]|$))")),
    ("share", re.compile(r"(?P<n>" + _T + r")" + _N + r";.]{0,60}?\.\s+(?:that|this|which)(?:\s+is|'s|\s+comes\s+to|"
                         r"\s+represents|\s+means)\s+(?:about\s+|some\s+|roughly\s+|nearly\s+|just\s+)?(?P<p>" + _T + r")")),
    ("share_of_whole", re.compile(r"(?P<p>" + _T + r")\s+of\s+" + _DET + r"(?:[a-z]+\s+){0,2}?(?P<m>" + _T + r")")),
]
ZH_RELATIONS = [
    ("whole", re.compile(r"(?P<m>" + _T + r")[^\ue000-\uf8ff。；;，,]{0,16}?(?:多少|几项|幾項|几个|幾個|哪些)")),
    ("part", re.compile(r"(?P<m>" + _T + r")[^\ue000-\uf8ff。；;]{0,20}?[，,；;：:]\s*其中[^\ue000-\uf8ff。；;，,]{0,8}?"
                        r"(?P<n>" + _T + r")")),
    ("part", re.compile(r"(?P<m>" + _T + r")[^\ue000-\uf8ff。；;，,]{0,8}?(?:已有|已经有|中有|中已有|共有)(?P<n>" + _T + r")")),
    ("part", re.compile(r"(?P<m>" + _T + r")[^\ue000-\uf8ff。；;！？]{0,30}?(?:中|当中|之中|(?<!公)里|里面|(?<![国市区境年月])内)"
                        r"(?=[，,：:]|已|有|共|累计|完成|实施|落地|落实|的)(?:的)?[，,：:]?"
                        r"[^\ue000-\uf8ff。；;]{0,14}?(?P<n>" + _T + r")")),
    ("part", re.compile(r"(?P<n>" + _T + r")\s*[/／]\s*(?P<m>" + _T + r")")),
    ("share", re.compile(r"(?P<n>" + _T + r")[^\ue000-\uf8ff。；;]{0,14}?[，,、]?\s*(?:占|佔)(?:比|总数的?|全部的?|"
                         r"总量的?|[^\ue000-\uf8ff。；;，,]{0,10}?的)?(?:为|达到|达|約|约|近|超过)?(?P<p>"
                         + _T + r")")),
    ("share3", re.compile(r"(?P<n>" + _T + r")[^\ue000-\uf8ff。；;]{0,14}?[，,]?\s*(?:占|佔)[^\ue000-\uf8ff。；;]{0,10}?"
                          r"(?P<m>" + _T + r")[^\ue000-\uf8ff。；;，,]{0,10}?的(?P<p>" + _T + r")")),
    ("share", re.compile(r"(?P<n>" + _T + r")[^\ue000-\uf8ff。；;（(]{0,14}?[（(](?:约|约占|占比?)?(?P<p>" + _T
                         + r")[)）]")),
    ("share", re.compile(r"(?P<n>" + _T + r")[^\ue000-\uf8ff。；;]{0,16}?(?:占比|比例|比重|比率)(?:为|达到|达|約|约)?"
                         r"(?P<p>" + _T + r")")),
    ("share_of_whole", re.compile(r"(?P<m>" + _T + r")[^\ue000-\uf8ff。；;，,]{0,10}?(?:的|中的)(?P<p>" + _T + r")")),
    ("share_of_whole", re.compile(r"(?P<m>" + _T + r")[^\ue000-\uf8ff。；;，,]{0,10}?(?:已有|已经有|中有|有|已)"
                                  r"(?P<p>" + _T + r")")),
]
RELATIONS = {"en": EN_RELATIONS, "zh": ZH_RELATIONS}


# ----------------------------------------------------------------------------------- lexicon
@dataclass
class Lexicon:
    """The catalog's words of one language, compiled for matching on folded text."""

    nouns: dict[str, set[str]]          # folded term -> metric ids listing it
    events: dict[str, dict[str, str]]   # folded term -> {metric id: state of that form}
    withs: dict[str, set[str]]
    names: dict[str, set[str]]
    patterns: dict[str, re.Pattern]     # kind -> regex over folded text
    gapped: re.Pattern | None = None    # English phrasal events with their object inside
    kinds: dict[str, set[str]] = field(default_factory=dict)  # noun or event term -> kinds of its metrics
    elsewhere: re.Pattern | None = None  # names of other programmes (the catalog's `elsewhere`)


def _pattern(terms, lang: str) -> re.Pattern | None:
    if not terms:
        return None
    alt = "|".join(re.escape(t).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
                   for t in sorted(terms, key=len, reverse=True))
    if lang == "en":
        return re.compile(r"(?<![a-z0-9])(?:" + alt + r")(?![a-z0-9])")
    return re.compile("(?:" + alt + ")")


def _gapped(events: dict[str, dict[str, str]]) -> re.Pattern | None:
    """"put 69 of the 86 tasks into effect", "gave the pilot the green light": a verb, up to fourteen
    words, then the rest of the phrase."""
    heads, tails = set(), set()
    for term in events:
        words = term.split(" ")
        if len(words) >= 2 and words[0] not in catalog_module.STATE_WORDS:
            heads.add(words[0])
            tails.add(" ".join(words[1:]))
    if not heads:
        return None
    alt = lambda ws: "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(ws, key=len, reverse=True))  # noqa: E731
    return re.compile(r"(?<![a-z])(?P<head>" + alt(heads) + r")\s+(?:[^\s;.]+\s+){1,14}?(?P<tail>" + alt(tails)
                      + r")(?![a-z])")


def build_lexicon(cat: "catalog_module.Catalog", lang: str) -> Lexicon:
    nouns: dict[str, set[str]] = {}
    events: dict[str, dict[str, str]] = {}
    withs: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    kinds: dict[str, set[str]] = {}
    for mid, m in cat.metrics.items():
        for term in m.counts.get(lang, []):
            nouns.setdefault(term, set()).add(mid)
            kinds.setdefault(term, set()).add(m.kind)
        for term, state in m.event.get(lang, {}).items():
            events.setdefault(term, {})[mid] = state
            kinds.setdefault(term, set()).add(m.kind)
        for term in m.with_.get(lang, []):
            withs.setdefault(term, set()).add(mid)
        for term in m.names.get(lang, []):
            names.setdefault(term, set()).add(mid)
            kinds.setdefault(term, set()).add(m.kind)
    patterns = {kind: _pattern(terms, lang) for kind, terms in
                (("noun", nouns), ("event", events), ("with", withs), ("name", names))}
    other = _pattern(cat.elsewhere.get(lang, []), lang)
    if other is not None and lang == "en":  # "free trade zones": the plural too
        other = re.compile(other.pattern.replace(r")(?![a-z0-9])", r")s?(?![a-z0-9])"))
    return Lexicon(nouns, events, withs, names, {k: p for k, p in patterns.items() if p is not None},
                   _gapped(events) if lang == "en" else None, kinds, other)


@dataclass
class Term:
    kind: str      # noun | event | with | name
    start: int
    end: int
    text: str      # the catalog's form (folded, single spaces): what claims compare
    head: int = -1  # a phrasal event held apart ("put ... into effect"): where its verb is
    written: str = ""  # as the source writes it: what the briefing quotes


@dataclass
class Context:
    """What one number token is about (see the module docstring)."""

    noun: Term | None = None
    noun_how: str = ""                # after | before | whole | previous | of-one
    events: list[tuple[Term, str]] = field(default_factory=list)   # (event, state) given to this number
    clause_done: list[Term] = field(default_factory=list)         # done events anywhere in its clause
    withs: list[Term] = field(default_factory=list)
    name: Term | None = None
    whole: int | None = None          # index of the token this one is a part of
    part: int | None = None           # for a share: the part it is a share of
    is_whole: bool = False
    subset: bool = False              # "the remaining 19", "剩餘19項": a part of something, not a total
    of_which: bool = False            # a table row "其中：…", "of which: …": a part of the row above
    set_aside: bool = False           # "another 15", "a further 28 … remain", "其餘18項": never the running figure
    future: bool = False              # its clause speaks of what will or may happen ("will launch", "拟引进")
    target: bool = False              # a planned count with a near deadline: not the plan's total
    share_whole: int | None = None    # for a share of a whole ("80.2% of the 86 tasks")
    clause: tuple[int, int] = (0, 0)
    sentence: tuple[int, int] = (0, 0)


@dataclass
class Line:
    text: str
    folded: str
    lang: str
    tokens: list[numerals.Token]
    terms: list[Term]
    contexts: dict[int, Context]      # token index -> context (num and date tokens)


def find_terms(folded: str, lang: str, lex: Lexicon, tokens: list[numerals.Token], text: str = "") -> list[Term]:
    """Every catalog word in the line (longest match first), outside number tokens. An event word
    inside a name ("completion" in "completion rate") belongs to the name. An English phrasal event
    may hold its object ("put 69 of the 86 tasks into effect"): it is placed on its last part."""
    spans = [(t.start, t.end) for t in tokens]

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in spans)

    out = []
    for kind, pattern in lex.patterns.items():
        for m in pattern.finditer(folded):
            if free(m.start(), m.end()):
                out.append(Term(kind, m.start(), m.end(), _term_text(m.group(0), lang, lex, kind),
                                written=(text or folded)[m.start():m.end()]))
    text_ = text
    if lex.gapped is not None:
        for m in lex.gapped.finditer(folded):
            text = " ".join(m.group("head").split()) + " " + " ".join(m.group("tail").split())
            if text in lex.events and free(m.start("tail"), m.end("tail")):
                out.append(Term("event", m.start("tail"), m.end("tail"), text, m.start("head"),
                                written=" ".join((text_ or folded)[m.start("head"):m.end("tail")].split())))
    names = [t for t in out if t.kind == "name"]
    out = [t for t in out if not (t.kind == "event" and any(n.start <= t.start and t.end <= n.end
                                                             and n.end - n.start > t.end - t.start for n in names))]
    events = [t for t in out if t.kind == "event" and t.head < 0]  # "Tasks in place": the event's, not a noun
    out = [t for t in out if not (t.kind == "noun" and any(e.start <= t.start and t.end <= e.end
                                                            and e.end - e.start > t.end - t.start for e in events))]
    return sorted(out, key=lambda t: (t.start, -t.end))


def _term_text(matched: str, lang: str, lex: Lexicon, kind: str) -> str:
    """The catalog's own form of a matched term ("first of its kind" written "first-of-its-kind")."""
    text = " ".join(matched.split())
    if lang != "en":
        return text
    table = {"noun": lex.nouns, "event": lex.events, "with": lex.withs, "name": lex.names}[kind]
    if text in table:
        return text
    key = re.sub(r"[\s-]+", " ", text)
    return next((t for t in table if re.sub(r"[\s-]+", " ", t) == key), text)


def sentence_spans(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Sentences: cut at 。？！?!, in Chinese also at ；, and at a '.' followed by a space, a quote or
    the end (an English ';' only ends a clause)."""
    out, start = [], 0
    ends = SENTENCE_END | (ZH_SENTENCE_END if lang == "zh" else set())
    for i, ch in enumerate(text):
        end = ch in ends or (ch == "." and (i + 1 == len(text) or text[i + 1].isspace()
                                                    or text[i + 1] in "\"'”’)）」』"))
        if end:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, 0)]


def clause_spans(text: str, lang: str, tokens: list[numerals.Token]) -> list[tuple[int, int]]:
    """Clauses: sentences cut after , ; (and the Chinese forms), and at English dashes; never
    inside a number ("1,400")."""
    inside = set()
    for t in tokens:
        inside.update(range(t.start, t.end))
    ends = set(CLAUSE_END[lang])
    sentence_cuts = {e for _, e in sentence_spans(text, lang)}
    cuts = set(sentence_cuts)
    dashes = []
    for i, ch in enumerate(text):
        if i in inside:
            continue
        if ch in ends:
            cuts.add(i + 1)
        elif lang == "en" and (ch in "—–" or text[i:i + 2] == "--" or text[i - 1:i + 2] == " - "):
            dashes.append(i)
    aside = set()
    for a, b in zip(dashes, dashes[1:]):  # "we have implemented — let me check — 91 of them": one clause
        if b - a <= 60 and not any(a < k < b for k in inside) and not any(a < c <= b for c in sentence_cuts):
            aside.update((a, b))
    cuts.update(i + 1 for i in dashes if i not in aside)
    out, start = [], 0
    for cut in sorted(cuts):
        if cut > start:
            out.append((start, cut))
            start = cut
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, 0)]


def _span_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return (s, e)
    return spans[-1]


def skeleton(folded: str, tokens: list[numerals.Token]) -> str:
    """The folded line with each quantity replaced by one private-use character (dates, ordinals and
    list markers stay as they are written)."""
    out, pos = [], 0
    for i, tok in enumerate(tokens):
        if tok.kind != "num":
            continue
        out.append(folded[pos:tok.start])
        out.append(chr(PUA + i))
        pos = tok.end
    out.append(folded[pos:])
    return "".join(out)


def relations(folded: str, lang: str, tokens: list[numerals.Token]) -> list[tuple[str, dict[str, int]]]:
    """(kind, {group: token index}) for every relation the grammar finds between numbers.

    >>> toks = numerals.tokenize("Of the 86 tasks, 69 have been implemented (80.2%).", "en")
    >>> relations(catalog_module.fold("Of the 86 tasks, 69 have been implemented (80.2%).", "en"), "en", toks)
    [('part', {'m': 0, 'n': 1}), ('share', {'n': 1, 'p': 2})]
    """
    skel = skeleton(folded, tokens)
    found = []
    for kind, pattern in RELATIONS[lang]:
        pos = 0
        while True:
            m = pattern.search(skel, pos)
            if not m:
                break
            groups = {g: ord(v) - PUA for g, v in m.groupdict().items() if v}
            if _relation_fits(kind, groups, tokens):
                found.append((kind, dict(sorted(groups.items()))))
            pos = m.start() + 1
    return found


def _relation_fits(kind: str, g: dict[str, int], tokens: list[numerals.Token]) -> bool:
    def count(i):
        return tokens[i].kind == "num" and tokens[i].unit == "" and tokens[i].value != ""

    def pct(i):
        return tokens[i].kind == "num" and tokens[i].unit == "%" and tokens[i].value != ""

    if kind == "whole":
        return count(g["m"])
    if kind == "part":
        return count(g["n"]) and count(g["m"])
    if kind == "share":
        return count(g["n"]) and pct(g["p"])
    if kind == "share3":
        return count(g["n"]) and pct(g["p"]) and count(g["m"])
    return pct(g["p"]) and count(g["m"])


def _apply_relations(found, contexts: dict[int, Context]) -> None:
    for kind, g in found:
        if kind == "whole":  # "how many of the 86 tasks", "most of the 86": a whole whose part is not a number
            contexts[g["m"]].is_whole = True
            continue
        if kind in ("part", "share3") and g["n"] in contexts and contexts[g["n"]].whole is None and g["n"] != g["m"]:
            contexts[g["n"]].whole = g["m"]
            contexts[g["m"]].is_whole = True
    for kind, g in found:
        if kind not in ("share", "share3") or contexts[g["p"]].part is not None:
            continue
        n = g["n"]
        if contexts[n].is_whole:  # "37 of 118 tasks, or 31.4 percent": the share is the part's
            n = next((i for i, c in contexts.items() if c.whole == n), n)
        contexts[g["p"]].part = n
        if kind == "share3":
            contexts[g["p"]].share_whole = g["m"]
    for kind, g in found:
        ctx = contexts[g.get("p", -1)] if g.get("p") in contexts else None
        if kind == "share_of_whole" and ctx is not None and ctx.share_whole is None and ctx.part is None:
            ctx.share_whole = g["m"]
            contexts[g["m"]].is_whole = True


# ----------------------------------------------------------------------------------- nouns
def _words(folded: str, start: int, end: int):
    """(start, end, word) of the words of ``folded[start:end]``, punctuation as one-char words."""
    for m in re.finditer(r"[a-z0-9'](?:[a-z0-9'-]*[a-z0-9'])?|[^\sa-z0-9']", folded[start:end]):
        yield start + m.start(), start + m.end(), m.group(0)


def _noun_after_en(folded: str, pos: int, limit: int, nouns: list[Term], lex: Lexicon) -> Term | None:
    """The head noun after an English number: at most four modifier words before it, no stop word,
    no other plural-looking word (a noun of its own: "40 enterprises signed reform deals")."""
    starts = {t.start: t for t in nouns}
    seen = 0
    for ws, _we, word in _words(folded, pos, limit):
        if ws in starts:
            return _extend_compound(folded, starts[ws], nouns, limit)
        if not re.fullmatch(r"[a-z'][a-z'-]*", word):
            if word in ("/", "&") or word == "-" and ws == pos:  # "75-task plan"
                continue
            return None
        if word in EN_NP_STOP or seen >= 4:
            return None
        if word not in EN_PLURAL_MODIFIERS and re.search(r"[^s'u]s$", word) and not _known_word(word, lex):
            return None
        seen += 1
    return None


def _partitive_en(folded: str, pos: int, limit: int, nouns: list[Term]) -> Term | None:
    """"84 of those tasks", "69 of the plan's tasks", "80 percent of tasks": the noun of the partitive after the number
    (when no number stands in it: "69 of the 86 tasks" is a part-whole relation)."""
    m = re.match(r"\s+of\s+(?:(?:the|these|those|its|our|their|all|[a-z]+'s)(?:\s+[a-z]+'s)?\s+)?(?:[a-z-]+\s+){0,2}?",
                 folded[pos:limit])
    if not m:
        return None
    return next((t for t in nouns if t.start == pos + m.end()), None)


#: "the number of <noun> ... reached 517", "put the number of implemented tasks at 104".
_NUMBER_OF = re.compile(r"\b(?:number|total|count|tally)\s+of\b")
_REACHED = re.compile(r"(?:reached|reaches|stood\s+at|stands\s+at|was|is|came\s+to|comes\s+to|totalled|totaled|"
                      r"totals|hit|rose\s+to|climbed\s+to|grew\s+to|amounted\s+to|at)\s*$")


def _number_of(folded: str, pos: int, floor: int, nouns: list[Term]) -> Term | None:
    """The noun after "the number of" earlier in the clause, when the number is what it reached."""
    head = folded[floor:pos]
    found = list(_NUMBER_OF.finditer(head))
    if not found or not _REACHED.search(head):
        return None
    start = floor + found[-1].end()
    after = [t for t in nouns if start <= t.start < pos]
    if not after or after[0].start - start > 40:
        return None
    return _extend_compound(folded, after[0], nouns, pos)


def _known_word(word: str, lex: Lexicon) -> bool:
    return any(word in term.split() for table in (lex.withs, lex.names, lex.nouns) for term in table)


def _extend_compound(folded: str, head: Term, nouns: list[Term], limit: int) -> Term:
    """"reform tasks" -> tasks; "provinces/cities", "provinces and cities" -> the last noun."""
    for nxt in nouns:
        if nxt.start < head.end or nxt.start >= limit:
            continue
        between = folded[head.end:nxt.start]
        if re.fullmatch(r"\s*(?:/|&|and|or|、|和|与|及)?\s*", between):
            head = nxt
        break
    return head


def _noun_after_zh(folded: str, pos: int, limit: int, nouns: list[Term], events: list[Term]) -> Term | None:
    """The head noun after a Chinese number (and its measure word): it starts within eight
    characters, before any event word or 已/將; contiguous nouns make one (改革任務 -> 任務)."""
    stop = min([e.start for e in events if e.start >= pos] + [limit])
    cut = re.search(r"[，,；;。：:！？!?（）()“”\"「」、已将在是为和与及并对]|" + ZH_NP_VERBS + "|" + _T, folded[pos:stop])
    stop = pos + cut.start() if cut else stop
    for term in nouns:
        if pos <= term.start < min(stop, pos + 7) and term.end <= stop + 2:
            return _extend_compound(folded, term, nouns, stop + 2)
    of_one = re.match(r"[^，,；;。：:！？!?（）()、]{1,16}?之一", folded[pos:limit])
    if of_one:  # "11個服務業擴大開放綜合試點省市之一": the noun right before 之一, however long the modifiers
        end = pos + of_one.end() - 2
        return next((t for t in nouns if t.end == end), None)
    return None


_EN_LINK = {"have", "has", "been", "were", "was", "are", "is", "so", "far", "number", "of", "total", "the",
            "reached", "stood", "at", "came", "to", "totalled", "totaled", "amounted", "numbered", "now", "count"}
_ZH_LINK = re.compile("|".join(("已经", "已", "累计", "共计", "共", "了", "为", "達到", "达到", "达", "有", "数量",
                                "总数", "数", "合计", "总计", "计")))


def _noun_before(folded: str, lang: str, pos: int, floor: int, nouns: list[Term], events: list[Term]) -> Term | None:
    """The nearest noun before the number in its clause, with only events and linking words between
    ("改革探索40余項", "任務已實施69項", "Tasks implemented: 69", "bridges numbered 43")."""
    before = [t for t in nouns if floor <= t.start and t.end <= pos]
    if not before:
        return None
    term = before[-1]
    gap = folded[term.end:pos]
    for e in events:
        if term.end <= e.start and e.end <= pos:
            gap = gap.replace(folded[e.start:e.end], " ")
    if lang == "zh":
        return term if len(_ZH_LINK.sub("", gap).strip(" :：|")) <= 2 else None
    if re.search(r"\b(?:has|have|had)\s+(?!been\b)[a-z]", folded[term.end:pos]):
        return None  # "the city had completed 81": the noun is who did it, not what was done
    words = [w for w in re.findall(r"[a-z']+", gap) if w not in _EN_LINK]
    return term if len(words) <= 1 and not re.search(r"[;.]", gap) else None


def _elliptical(folded: str, lang: str, tok: numerals.Token, events: list[Term], limit: int,
                noun_right_before: bool = False) -> bool:
    """Nothing after the number names what it counts: punctuation, the end, an event or a verb
    ("69 have been ...", "69 implemented", "69項，", "69項已落地"), or, in Chinese, a noun stands right
    before the count ("項目517個投入營運": what follows is a verb). "One Code for All" is not."""
    rest = folded[tok.end:limit]
    if lang == "en":
        word = re.match(r"\s*([a-z']+)", rest)
        return word is None or word.group(1) in EN_NP_STOP or any(e.start == tok.end + word.start(1) for e in events)
    nxt = rest[:1]
    return nxt == "" or not re.match(r"[\u4e00-\u9fff]", nxt) or bool(ZH_AFTER_COUNT.match(rest)) or any(
        e.start == tok.end for e in events) or noun_right_before


def _noun_after_of_one(folded: str, pos: int, clause_end: int, nouns: list[Term]) -> Term | None:
    """"N個之一、…的省市": the noun after the first 的 that follows 之一 in the clause."""
    de = folded.find("的", pos, clause_end)
    if de < 0:
        return None
    return next((t for t in nouns if de < t.start <= de + 3), None)


# ----------------------------------------------------------------------------------- events
def event_state(folded: str, lang: str, clause_start: int, term: Term, form_state: str) -> str:
    """done | planned | ongoing for one event occurrence, from its form and the words before it."""
    before = folded[clause_start:term.head if term.head >= 0 else term.start]
    if lang == "en":
        if EN_NEGATED.search(before):
            return "planned"  # "have not yet implemented": not done
        if EN_ONGOING.search(before):
            return "ongoing"
        if EN_HYPOTHETICAL.search(before):
            return "planned"  # "would have carried out": not done
        if EN_PLANNED.search(before) and not re.search(r"\b(?:have|has|had)\s+(?:\S+\s+){0,2}$", before):
            return "planned"
        if form_state == "base" and re.search(r"\b(?:is|are|was|were|now|fully|all)\s*$", before):
            return "done"  # "are now complete": the adjective, a state reached
        if form_state == "base" and re.search(r"\b(?:the|its|their|this|a)\s*$", before):
            return "done"  # "the launch of 37 cases": the noun of the event
        return {"done": "done", "nominal": "done", "present": "done", "ing": "ongoing", "base": "planned"
                }.get(form_state, "done")
    after = folded[term.end:term.end + 1]
    if re.search(r"(?:正在\S{0,2}|正)$", before):
        return "ongoing"  # 正在實施
    if any(w in before for w in ZH_DONE) or after == "了":
        return "done"
    if any(w in before for w in ZH_PLANNED):
        return "planned"
    return "done"


def _state_in_clause(folded: str, lang: str, clauses, ev: Term, lex: Lexicon) -> str:
    """:func:`event_state` of an event read in its own clause, with the state its catalog form gives."""
    return event_state(folded, lang, _span_of(clauses, ev.start)[0], ev,
                       next(iter(lex.events.get(ev.text, {}).values()), "done"))


def _zh_event_parts(folded: str, tokens, contexts, events: list[Term], nouns: list[Term]) -> None:
    """Chinese "M項任務已實施N項" / "任務M項，已完成N項": N, with no noun of its own after it,
    follows an event that follows M in the same sentence, so N is a part of M."""
    for i, tok in enumerate(tokens):
        ctx = contexts.get(i)
        if ctx is None or tok.kind != "num" or tok.unit != "" or ctx.whole is not None:
            continue
        j = next((k for k in range(i - 1, -1, -1) if tokens[k].kind == "num" and tokens[k].unit == ""), None)
        if j is None or contexts[j].sentence != ctx.sentence or contexts[j].whole is not None:
            continue
        between = folded[tokens[j].end:tok.start]
        if len(between) > 16 or re.search("[。；;]", between):
            continue
        ev = [e for e in events if tokens[j].end <= e.start and e.end <= tok.start]
        between_nouns = [t for t in nouns if tokens[j].end <= t.start and t.end <= tok.start]
        if any(t.start > tokens[j].end + 2 for t in between_nouns):
            continue  # "改革40余項，落地…項目約600個": the second number has a noun of its own
        after = folded[tok.end:tok.end + 1]
        if ev and (not re.match(r"[\u4e00-\u9fff]", after or " ") or after in "，,。；;"):
            ctx.whole = j
            contexts[j].is_whole = True


def _assign_events(folded, lang, tokens, contexts, events: list[Term], lex: Lexicon, clauses, sentences,
                   ref=None, plan_nouns: list[Term] = ()) -> None:
    """Each event goes to one number: a count that is not a whole (count metrics' events) or a date
    (date metrics' events), in its clause (else, for counts, the nearest before it in the sentence).
    In English an event after an auxiliary ("have been implemented") is said of the number before
    it, any other of the number after it ("implemented 69 tasks"); in Chinese the nearest."""
    for ev in events:
        metric_states = lex.events.get(ev.text, {})
        clause = _span_of(clauses, ev.start)
        state = event_state(folded, lang, clause[0], ev, next(iter(metric_states.values()), "done"))
        for want in ("count", "date"):
            if want not in lex.kinds.get(ev.text, {"count", "date"}):
                continue
            # "國務院批復的方案" describes the plan: only a date right before it is its date ("於2021年4月批復的")
            attributive = want == "date" and lang == "zh" and folded[ev.end:ev.end + 1] == "的"

            def fits(i, tok, ctx):
                if want == "count":
                    return tok.kind == "num" and tok.unit == "" and not ctx.is_whole
                return tok.kind == "date"

            same = [i for i, tok in enumerate(tokens) if i in contexts and fits(i, tok, contexts[i])
                    and (contexts[i].clause == clause or _date_reaches(want, contexts[i], clause, folded)
                         or lang == "zh" and _zh_date_told_after(want, tok, contexts[i], clause, folded)
                         and _names_the_plan(folded, clause, plan_nouns))
                    and (not attributive or contexts[i].clause == clause and 0 <= ev.start - tok.end <= 4)]
            best = _nearest(same, tokens, ev, lang, folded)
            if attributive and best is not None and ref is not None and tokens[best].value and \
                    tokens[best].value < ref.isoformat()[:len(tokens[best].value)] and not any(
                        w in _ZH_CARRY_OUT.sub("", folded[clause[0]:tokens[best].start]) for w in ZH_PLANNED):
                # "为推进落实国务院2022年12月批复的《方案》": what is planned is the carrying out of an approval
                # already given (a date not after the source's own); the words right before its date
                # still count ("将于2024年6月批复的")
                state = event_state(folded, lang, max(clause[0], tokens[best].start - 3), ev,
                                    next(iter(metric_states.values()), "done"))
            if best is None and want == "count" and not (lang == "zh" and folded[ev.end:ev.end + 1] == "的"):
                # (not "…116項任務，…做完的就放上書架": "the finished ones" describes others)
                sentence = _span_of(sentences, ev.start)
                earlier = [i for i, tok in enumerate(tokens) if i in contexts and fits(i, tok, contexts[i])
                           and sentence[0] <= tok.start and tok.end <= ev.start]
                best = earlier[-1] if earlier else None
                if best is None and _QUESTION_END.search(folded[:sentence[1]]) and folded[ev.start:ev.end] not in (
                        "do", "does", "did"):  # "How many tasks does the plan list?": an auxiliary
                    # "How many have been carried out? 108 as of June": said of the answer's count
                    answers = [i for i, tok in enumerate(tokens) if i in contexts and fits(i, tok, contexts[i])
                               and tok.start >= sentence[1] and contexts[i].noun_how == "question"]
                    best = answers[0] if answers and contexts[answers[0]].sentence == _span_of(
                        sentences, tokens[answers[0]].start) and _next_sentence(sentences, sentence) == \
                        contexts[answers[0]].sentence else None
            if best is not None:
                contexts[best].events.append((ev, state))
        if state == "done":
            for i, ctx in contexts.items():
                if ctx.clause == clause and tokens[i].kind == "num":
                    ctx.clause_done.append(ev)


def _next_sentence(sentences, sentence):
    later = [s for s in sentences if s[0] >= sentence[1]]
    return later[0] if later else None


def _nearest(candidates: list[int], tokens, ev: Term, lang: str, folded: str) -> int | None:
    if not candidates:
        return None
    before = [i for i in candidates if tokens[i].end <= ev.start]
    after = [i for i in candidates if tokens[i].start >= ev.end]
    if lang == "en":
        if EN_AUX.search(folded[:ev.start]) and before and not (after and EN_PRONOUN_AUX.search(folded[:ev.start])):
            return before[-1]
        if after:
            return after[0]
        return before[-1] if before else None
    return min(candidates, key=lambda i: tokens[i].start - ev.end if tokens[i].start >= ev.end
               else ev.start - tokens[i].end)


def _zh_date_told_after(want: str, tok, ctx: "Context", clause: tuple[int, int], folded: str) -> bool:
    """"国务院批复我们的试点方案，是去年5月的事": a clause right after the event's that says only when."""
    if want != "date" or ctx.clause[0] != clause[1]:
        return False
    rest = folded[ctx.clause[0]:tok.start] + "#" + folded[tok.end:ctx.clause[1]]
    return bool(re.fullmatch(r"\s*(?:那|这|這)?(?:是|在|于|於|为)#(?:的事|的事情|的时候|那会儿)?[。，,！!；;]?\s*", rest))


#: "推进落实", "贯彻落实": carrying out what the attributive describes, not planning the approval.
_ZH_CARRY_OUT = re.compile(r"(?:推进|推動|推动|加快|全面|深入|贯彻|貫徹|认真|認真|着力|積極|积极|为|為)+(?:落实|落實|实施|實施|执行|執行)")
#: Words of a change to a plan: approving one is not approving the plan ("同意试点延期").
_ZH_PLAN_CHANGE = re.compile(r"延期|延长|延長|调整|調整|修订|修訂|修改|修正|变更|變更|扩围|擴圍|扩大|擴大|第.批")


def _names_the_plan(folded: str, clause: tuple[int, int], plan_nouns: list[Term]) -> bool:
    """Whether an event's clause names the plan or pilot itself (a noun of the catalog's lengths: 试点,
    方案), and no change to it ("省政府批复园区规划", "国务院同意试点延期" do not)."""
    end = clause[1] - 1 if folded[clause[1] - 1:clause[1]] in "，," else clause[1]
    return any(t.end == end and t.start >= clause[0] for t in plan_nouns) and not _ZH_PLAN_CHANGE.search(
        folded, clause[0], clause[1])  # (the plan ends the clause: not "…方案的中期评估报告", "…实施细则")


def _date_reaches(want: str, ctx: Context, clause: tuple[int, int], folded: str) -> bool:
    """A date alone in its clause ("In April 2021, the State Council approved ...") reaches the next one."""
    if want != "date" or ctx.clause[1] != clause[0]:
        return False
    words = re.findall(r"[a-z]+", folded[ctx.clause[0]:ctx.clause[1]])
    if words and words[0] not in ("in", "on", "since", "from", "by", "as", "at", "after", "before"):
        return False  # a dateline ("YUNLING, 20 March 2023 - ...") is not the date of what follows
    if words:  # English: the date and at most three words besides its prepositions ("By its reply of 7 Dec 2023,")
        rest = [w for w in words if w not in ("in", "on", "since", "from", "by", "as", "of", "at", "the", "end", "early",
                                              "mid", "late") and not numerals.EN_MONTHS.get(w)]
        return len(rest) <= 3 + 1  # (+1: the date's own words such as "last", "year")
    alone = re.sub(r"[，,\s]|自|於|于|在|经|經", "", folded[ctx.clause[0]:ctx.clause[1]])
    return len(alone) <= 12


def _name_for(folded, lang, tok, terms: list[Term], clause, tokens) -> Term | None:
    """A ``names`` word right before the number (linking words, or an "of the plan's 77 tasks"
    between), or right after it ("80.2% implementation rate")."""
    marks = {o.start: o for o in tokens if o is not tok}
    for term in reversed([t for t in terms if t.kind == "name" and clause[0] <= t.start and t.end <= tok.start]):
        gap = "".join("#" if any(o.start <= k < o.end for o in marks.values()) else folded[k]
                      for k in range(term.end, tok.start))
        gap = re.sub(r"#+", "#", gap)
        if lang == "zh":
            ok = "#" not in gap and len(re.sub(r"为|為|达到|达|是|约|近|超过|已|原则上|一般|暂定|定为|[：:\s]", "", gap)) <= 1
        else:
            gap = re.sub(r"^\s*of\s+(?:the\s+)?(?:[a-z']+\s+){0,3}#(?:\s+[a-z]+){0,3}", " ", gap)
            ok = "#" not in gap and not re.findall(r"[a-z']+", re.sub(
                r"\b(?:of|was|is|stood|stands|at|reached|hit|has|have|been|to|an|a|the|now|risen|rose|climbed|about|"
                r"some|came|comes|overall|current|its|their|reaching|standing|up)\b", " ", gap))
        return term if ok else None
    for term in terms:
        if term.kind == "name" and tok.end <= term.start <= tok.end + 2 and term.end <= clause[1]:
            return term
    if lang == "zh":
        return _name_across_aside(folded, tok, terms, clause, tokens)
    return None


#: Links between a Chinese name and its value ("已经到了", "是", "达到").
_ZH_NAME_LINK = re.compile(r"已经|已|到了|达到了|达到|达|到|是|为|约|近|超过|有")
#: What may end a topic before an aside ("实施率呢，").
_ZH_TOPIC_END = re.compile(r"\s*(?:呢|啊|嘛|吧|么)?\s*[，,]")


def _name_across_aside(folded, tok, terms, clause, tokens) -> Term | None:
    """A Chinese topic, an aside, then the value ("实施率呢，按我们的统计，已经到了百分之一百零五",
    "任務實施率，我看一下，是…"): the name ends its clause, the clauses between hold no number and
    no catalog word and are short, and only links stand before the value in its own clause."""
    if _ZH_NAME_LINK.sub("", folded[clause[0]:tok.start]).strip():
        return None
    if not re.fullmatch(r"\s*[。，,；;！!？?]?\s*", folded[tok.end:clause[1]]):
        return None  # "有百分之十五的任务还没动": the value says more than the rate
    sentence_start = max(folded.rfind(c, 0, clause[0]) for c in "。！？!?；;") + 1
    names = [t for t in terms if t.kind == "name" and sentence_start <= t.start and t.end <= clause[0]]
    if not names:
        return None
    name = names[-1]
    topic_end = _ZH_TOPIC_END.match(folded, name.end)
    if not topic_end:
        return None
    aside = folded[topic_end.end():clause[0]]
    if any(topic_end.end() <= o.start < clause[0] for o in tokens) or any(
            topic_end.end() <= t.start < clause[0] for t in terms):
        return None
    if len(aside) > 12 or len([c for c in aside if c in "，,"]) > 1 or re.search(r"率|度|比例|比重", aside) or \
            ZH_SCOPE.search(aside):
        return None  # one short aside ("按我们的统计"), not another topic ("另外企业的满意度")
    return name


# ----------------------------------------------------------------------------------- the line
#: "98 of them have been carried out": the noun is the one last named before.
EN_OF_THEM = re.compile(r"\s+of\s+(?:them|these|those)\b")
#: A question about what is left ("How many tasks are left?", "還剩多少項"): its answer is a part.
_ASKS_WHAT_IS_LEFT = re.compile(r"\b(?:left|remain|remaining|outstanding|to\s+go|still\s+open)\b|剩|余下|尚未|未完成|还有多少")
#: A question that asks for a count or for progress ("How many ...?", "How far ...?", "多少", "幾項").
_ASKS_HOW_MANY = re.compile(r"\bhow\s+(?:many|far|much)\b|多少|几|幾|进展|進展|进度|進度")
#: What ends a question (a closing quote may follow).
_QUESTION_END = re.compile(r"[?？]\s*[\"”」』]?\s*$")


def read_line(text: str, lang: str, lex: Lexicon, ref=None, carried: "Carry | None" = None) -> Line:
    """Tokens, catalog words and a :class:`Context` for every number and date of one line.

    ``carried`` is what the previous line of the same language leaves for this one (:class:`Carry`):
    the count noun it named last and whether it asked a question, so that "41 of them" and the
    answer "一共是132項" find the noun they leave out."""
    folded = catalog_module.fold(text, lang)
    tokens = numerals.tokenize(text, lang, ref)
    terms = find_terms(folded, lang, lex, tokens, text)
    nouns = [t for t in terms if t.kind == "noun"]
    events = [t for t in terms if t.kind == "event"]
    clauses = clause_spans(text, lang, tokens)
    sentences = sentence_spans(text, lang)
    contexts = {i: Context(clause=_span_of(clauses, t.start), sentence=_span_of(sentences, t.start))
                for i, t in enumerate(tokens) if t.kind in ("num", "date")}
    _apply_relations(relations(folded, lang, tokens), contexts)
    if lang == "zh":
        _zh_event_parts(folded, tokens, contexts, events, nouns)

    previous_noun: dict[tuple[int, int], Term] = {}
    label_events: dict[int, list[Term]] = {}  # a value after its label: the label's events are its own
    np_spans: dict[int, tuple[int, int]] = {}
    by_kind = {kind: [t for t in nouns if kind in lex.kinds.get(t.text, ())] for kind in ("count", "years")}

    def limit_of(i: int, ctx: Context) -> int:
        return min(next((t.start for t in tokens[i + 1:]), len(text)), ctx.clause[1])

    for i, tok in enumerate(tokens):  # first the noun each number names after it
        ctx = contexts.get(i)
        if ctx is None or tok.kind != "num":
            continue
        kind_nouns = by_kind["years" if tok.unit == "years" else "count"]  # a count never counts "the plan"
        before = folded[max(ctx.clause[0], tok.start - 30):tok.start]
        ctx.set_aside = bool((EN_REMAINING if lang == "en" else ZH_REMAINING).search(before)
                             or lang == "en" and EN_SUBSET_AFTER.match(folded[tok.end:ctx.clause[1]])
                             or (EN_EARLIER if lang == "en" else ZH_COMPARED).search(before)
                             or lang == "en" and EN_OF_WHICH.match(folded[tok.end:]))
        ctx.subset = ctx.set_aside or bool((EN_SUBSET if lang == "en" else ZH_SUBSET).search(before)
                                           or (EN_EARLIER if lang == "en" else ZH_EARLIER).search(before))
        ctx.future = bool((EN_FUTURE if lang == "en" else ZH_FUTURE).search(folded[ctx.clause[0]:ctx.clause[1]]))
        if lang == "en":
            signed = EN_SIGNED_BEFORE.search(folded[ctx.clause[0]:tok.start]) and EN_DEALS.match(
                folded[tok.end:ctx.clause[1]])  # (a mayor who signed 12 policy documents issued them)
            ctx.future = ctx.future or bool(signed or EN_SIGNED_AFTER.match(folded[tok.end:ctx.clause[1]]))
        else:
            ctx.future = ctx.future or bool(ZH_SIGNED.search(folded, ctx.clause[0], ctx.clause[1]))
        # (Chinese: only after the number; "在全国率先实施40项改革" is a first in the country, not a batch)
        if (EN_FIRST_BATCH.search(folded[max(ctx.clause[0], tok.start - 30):ctx.clause[1]]) if lang == "en"
                else ZH_FIRST_BATCH.search(folded[tok.end:ctx.clause[1]])):
            ctx.subset = ctx.set_aside = True
        limit = limit_of(i, ctx)
        if lang == "en":
            ctx.noun = _noun_after_en(folded, tok.end, limit, kind_nouns, lex)
            if ctx.noun is None:
                ctx.noun = _partitive_en(folded, tok.end, limit, kind_nouns)
                ctx.subset = ctx.subset or ctx.noun is not None  # "18 of the tasks": a part, never the total
        else:
            ctx.noun = _noun_after_zh(folded, tok.end, limit, kind_nouns, events)
            if ctx.noun is None and folded[tok.end:tok.end + 2] == "之一":
                ctx.noun = _noun_after_of_one(folded, tok.end, ctx.clause[1], kind_nouns)
                ctx.noun_how = "of-one" if ctx.noun else ""
        if ctx.noun and not ctx.noun_how:
            ctx.noun_how = "after"
            np_spans[i] = (tok.end, ctx.noun.end)
            if lang == "en" and EN_SUBSET_AFTER.match(folded[ctx.noun.end:ctx.clause[1]]):
                ctx.subset = ctx.set_aside = True
    for i, tok in enumerate(tokens):  # then, for those that name none, the noun from around them
        ctx = contexts.get(i)
        if ctx is None or tok.kind != "num" or ctx.noun is not None:
            if ctx is not None and ctx.noun is not None and tok.unit == "":
                previous_noun[ctx.sentence] = ctx.noun
            continue
        kind_nouns = by_kind["years" if tok.unit == "years" else "count"]
        limit = limit_of(i, ctx)
        adjacent = lang == "zh" and any(0 <= tok.start - t.end <= 2 and t.start >= ctx.clause[0] for t in kind_nouns)
        elliptical = _elliptical(folded, lang, tok, events, limit, adjacent)
        if lang == "en" and ctx.noun is None:
            ctx.noun = _number_of(folded, tok.start, ctx.clause[0], kind_nouns)
            ctx.noun_how = "before" if ctx.noun else ""
            if ctx.noun is not None:  # "the count of featured tasks ... stands at 38": its words are its own
                np_spans[i] = (list(_NUMBER_OF.finditer(folded, ctx.clause[0], ctx.noun.start))[-1].start(), tok.start)
        if ctx.noun is None and elliptical and ctx.whole is not None and contexts[ctx.whole].noun is not None:
            ctx.noun, ctx.noun_how = contexts[ctx.whole].noun, "whole"  # "Of its 75 tasks, the city has done 57"
        if ctx.noun is None and elliptical:
            prev_end = max([t.end for t in tokens[:i]] + [ctx.clause[0]])
            floor = max(prev_end, ctx.clause[0]) if lang == "zh" else max(prev_end, ctx.sentence[0])
            ctx.noun = _noun_before(folded, lang, tok.start, floor, kind_nouns, events)
            ctx.noun_how = "before" if ctx.noun else ""
        if ctx.noun is None and elliptical and ctx.whole is None and not ctx.is_whole:
            label = _label_of(folded, lang, tokens, i, ctx)
            noun = _label_head(folded, lang, label, kind_nouns, lex) if label is not None else None
            if noun is not None:
                ctx.noun, ctx.noun_how = noun, "label"
                label_events[i] = [e for e in events if label[0] <= e.start and e.end <= label[1]]
                if (EN_LABEL_ASIDE if lang == "en" else ZH_LABEL_ASIDE).search(folded, label[0], label[1]):
                    ctx.subset = ctx.set_aside = True  # "Projects halted by the audit: 14", "Tasks not yet started"
        if ctx.noun is None and ctx.whole is not None and contexts[ctx.whole].noun is not None:
            ctx.noun, ctx.noun_how = contexts[ctx.whole].noun, "whole"
        if ctx.noun is None and tok.unit == "" and previous_noun.get(ctx.sentence) is not None and elliptical:
            ctx.noun, ctx.noun_how = previous_noun[ctx.sentence], "previous"
        if ctx.noun is None and tok.unit == "" and lang == "zh" and tok.classifier and elliptical:
            topic = _zh_topic(folded, tok, ctx, kind_nouns, events, clauses, tokens)
            if topic is not None:  # "已落地的現代服務業項目，截至目前已有215個"
                noun, start = topic
                ctx.noun, ctx.noun_how = noun, "topic"
                label_events[i] = [e for e in events if start <= e.start < noun.start]
                # "正在洽谈的项目，" "尚未落地的任務，": what the topic says of them holds for the count
                ctx.future = ctx.future or bool(ZH_FUTURE.search(folded, start, noun.start) or
                                                ZH_SIGNED.search(folded, start, noun.start))
                if any(event_state(folded, lang, start, e, "done") != "done" for e in label_events[i]):
                    ctx.subset = ctx.set_aside = True
        if ctx.noun is None and tok.unit == "":
            _noun_from_before(folded, lang, tok, ctx, kind_nouns, sentences, carried)
            if lang == "en" and ctx.noun_how == "previous" and any(
                    tokens[j].kind == "num" and tokens[j].unit == "" and ctx.noun.end <= tokens[j].start
                    and contexts[j].noun is None and not _elliptical(folded, lang, tokens[j], events, limit_of(j, contexts[j]))
                    for j in range(i) if j in contexts):  # "we formed nineteen cases, ... seven of them": of those
                ctx.noun, ctx.noun_how, ctx.subset = None, "", False
        if ctx.noun is None and tok.unit == "" and lang == "en" and elliptical:
            ctx.noun = _object_of_event(folded, tok, ctx, kind_nouns, events, lex, clauses, sentences)
            ctx.noun_how = "previous" if ctx.noun else ""
        if ctx.noun is not None and tok.unit == "":
            previous_noun[ctx.sentence] = ctx.noun
    for i, ctx in contexts.items():  # wholes lend their noun backwards too ("69 of the 86 tasks")
        if ctx.noun is None and ctx.whole is not None and contexts[ctx.whole].noun is not None:
            ctx.noun, ctx.noun_how = contexts[ctx.whole].noun, "whole"
    for i, ctx in contexts.items():  # and parts to their whole ("81 tasks, out of a plan of 94")
        if ctx.whole is not None and contexts[ctx.whole].noun is None and ctx.noun is not None:
            contexts[ctx.whole].noun, contexts[ctx.whole].noun_how = ctx.noun, "part"

    _assign_events(folded, lang, tokens, contexts, events, lex, clauses, sentences, ref, by_kind["years"])
    for i, label in label_events.items():  # "tasks done, seventy-one": the label's own clause
        for ev in label:
            if not any(e is ev for e, _ in contexts[i].events):
                state = _state_in_clause(folded, lang, clauses, ev, lex)
                contexts[i].events.append((ev, state))
                if state == "done":
                    contexts[i].clause_done.append(ev)
    if lang == "en":
        _restated_pairs(folded, tokens, contexts, events, lex, by_kind["count"], sentences, clauses)
    for i, ctx in contexts.items():
        tok = tokens[i]
        if tok.kind != "num" or not any(state in ("planned", "ongoing") for _, state in ctx.events):
            continue
        clause = folded[ctx.clause[0]:ctx.clause[1]]
        if lang == "en":
            definite = bool(EN_DEFINITE.search(folded[ctx.clause[0]:tok.start]))
            hypothetical = any(EN_HYPOTHETICAL.search(folded[ctx.clause[0]:e.start]) for e, _ in ctx.events)
            ctx.target = (bool(EN_DEADLINE.search(clause)) or hypothetical) and not definite
        else:
            ctx.target = bool(ZH_DEADLINE.search(clause)) and not ZH_DEFINITE.search(clause)
    for i, ctx in contexts.items():
        # (the noun of a length is what a with-word speaks of: "a three-year pilot, and ours is one of five")
        others = [span for k, span in np_spans.items() if k != i and tokens[k].unit != "years"]
        scope = ctx.sentence if lang == "en" else ctx.clause  # Chinese clauses carry their own topic
        if lang == "en" and _one_of(folded, tokens[i]) and EN_MEMBERSHIP.search(
                folded, tokens[i].end, ctx.sentence[1]) and ctx.sentence in sentences and sentences.index(ctx.sentence):
            # "... a comprehensive pilot. Hainan became one of five provinces and cities": membership of
            # the group the sentence before describes
            scope = (sentences[sentences.index(ctx.sentence) - 1][0], scope[1])
        ctx.withs = [t for t in terms if t.kind == "with" and scope[0] <= t.start < scope[1]
                     and not any(a <= t.start < b for a, b in others)]
        ctx.name = _name_for(folded, lang, tokens[i], terms, ctx.clause, tokens)
    return Line(text, folded, lang, tokens, terms, contexts)


#: A value after its label ("Tasks in the plan: 134.", "tasks done, seventy-one; tasks in the plan,
#: eighty-four"): the label starts the line, a sentence or a list item, or follows a colon or semicolon.
_LABEL_START = re.compile(r"(?:^|[.;:：；。]\s+|[.;:：；。])\s*(?:[-*•·]\s+|\(?(?:[0-9]{1,3}|[ivx]{1,4}|[a-z])[.)]\s+)?",
                          re.M)


def _label_of(folded: str, lang: str, tokens, i: int, ctx: "Context") -> tuple[int, int] | None:
    """The span of the label a value stands after, if the value stands alone after a colon (or, for a
    short label, a comma) and ends its clause: "Modern service projects landed since the pilot began:
    212", "任務總數：134". The label holds no number of its own."""
    tok = tokens[i]
    if not re.fullmatch(r"\s*[.;,)。；，）]?\s*", folded[tok.end:ctx.clause[1]]):
        return None
    prev_end = max(tokens[i - 1].end if i else 0, ctx.sentence[0])  # (tokens are in reading order)
    head = folded[prev_end:tok.start]
    sep = re.search(r"([:：]|[,，])\s*$", head)
    if not sep:
        return None
    body_end = prev_end + sep.start()
    starts = [m.end() for m in _LABEL_START.finditer(folded, prev_end, body_end)]
    start = max(starts + [prev_end])
    if start == prev_end and prev_end != ctx.sentence[0] and not re.match(r"\s*[.;:：；。]", folded[prev_end:body_end]):
        if not (i and tokens[i - 1].kind == "marker" and tokens[i - 1].end == prev_end):
            return None  # "86 tasks, 69" or "in 2023, 69": a number, not a label, before it
    words = re.findall(r"[a-z']+|[\u4e00-\u9fff]", folded[start:body_end])
    longest = 12 if sep.group(1) in ":：" else 5  # (a comma label is short: "tasks done, seventy-one")
    if not words or len(words) > (longest if lang == "en" else longest * 3):
        return None
    return (start, body_end)


#: A label of what is set aside, stopped or someone's share: its value is never the running figure.
EN_LABEL_ASIDE = re.compile(r"\b(?:not|yet|remaining|outstanding|pending|unfinished|halted|suspended|cancell?ed|"
                            r"scrapped|stalled|delayed|overdue|behind|withdrawn|dropped|assigned|allocated|led\s+by|"
                            r"handled\s+by|under\s+review|left|to\s+go)\b")
ZH_LABEL_ASIDE = re.compile(r"尚未|未|暂停|暫停|停止|停工|取消|撤销|撤銷|延期|逾期|滞后|滯後|剩余|剩餘|牵头|牽頭|负责|負責|分配")
#: What may follow a Chinese label's head noun ("任務總數", "項目數量").
_ZH_LABEL_TAIL = re.compile(r"(?:总数|数量|个数|总量|总计|合计|数)?\s*(?:[（(][^）)]*[）)])?\s*")


#: What may follow an English label's noun: where it stands ("in the overall plan"), since when
#: ("since the pilot began"), and verbs of what was done. Anything else narrows it ("ahead of
#: schedule", "per district", "with central funding", "in the provincial plan"): not a label then.
_EN_LABEL_TAIL = re.compile(r"(?:\s+(?:in|the|overall|plan|plan's|pilot|pilot's|programme|so|far|to|date|since|it|"
                            r"began|begun|started|opened|start|total|all|our|its|their|[a-z]+ed|done|under|way|put|"
                            r"out|into|effect|force|place|practice|operation|use|service))*\s*")
#: Chinese words that narrow a label or topic to a part: a period, an owner, a kind, a batch.
ZH_SCOPE = re.compile(r"[年月季周]|本期|当期|上半|下半|牵头|負責|负责|由|涉及|需要|首批|第.批|兄弟|全国|全國|全省|"
                      r"外省|其他|其它|延期|省级|省級|区县|區縣|各区|各區|中央|外资|外資|平均")


def _label_head(folded: str, lang: str, label: tuple[int, int], nouns: list[Term], lex: Lexicon) -> Term | None:
    """The catalog noun a label is about: in Chinese the noun that ends it ("已完成任務", not
    "參與項目建設的企業數量"); in English the first noun, with only modifiers before it ("Modern service
    projects landed ...", not "Firms backing the projects")."""
    inside = [t for t in nouns if label[0] <= t.start and t.end <= label[1]]
    if not inside:
        return None
    if lang == "zh":
        head = next((t for t in reversed(inside) if _ZH_LABEL_TAIL.fullmatch(folded, t.end, label[1])), None)
        return head if head is not None and not ZH_SCOPE.search(folded, label[0], head.start) else None
    head = inside[0]
    before = re.findall(r"[a-z'-]+", folded[label[0]:head.start])
    if len(before) > 4 or any(w in EN_NP_STOP or (w not in EN_PLURAL_MODIFIERS and re.search(r"[^s'u]s$", w)
                                                  and not _known_word(w, lex)) for w in before):
        return None
    head = _extend_compound(folded, head, nouns, label[1])
    return head if _EN_LABEL_TAIL.fullmatch(folded, head.end, label[1]) else None


#: What may stand before a bare pair that restates progress: a pronoun and a copula ("That's 111 out
#: of 121", "it is 109 of 118", "That takes us to 93, and out of a plan of 110"), or nothing, when the
#: pair is an aside after a comma with nothing after it but where it stands ("…, 78 of the 96 in our plan").
_RESTATING = re.compile(r"\b(?:that|this|it|which)(?:'s|\s+is|\s+was|\s+comes\s+to|\s+makes|"
                        r"\s+(?:takes|brings|puts)\s+(?:us|it|the\s+total)\s+to)\s*$|"
                        r"\b(?:bringing|taking|putting)\s+(?:us|it|the\s+total)\s+to\s*$")
_RESTATED_ASIDE_TAIL = re.compile(r"(?:\s*(?:in\s+(?:our|the|its|their)\s+(?:overall\s+)?plan|in\s+(?:all|total)|so\s+far|"
                                  r"to\s+date|now|at\s+the\s+last\s+count|(?:that\s+leaves|leaving)\s+[\ue000-\uf8ff]))*"
                                  r"\s*[,;.]?\s*$")


def _restated_pairs(folded, tokens, contexts, events, lex, count_nouns, sentences, clauses) -> None:
    """A part and its whole that name nothing, after a copula ("That's 111 out of 121"), restate the
    progress the same or the previous sentence reports: they take its count noun and its done event
    ("... of our plan's tasks are implemented. That's 111 out of 121"). A pair after any other verb
    ("we visited 12 of 15") is left alone, and so is one with no done event to restate."""
    for i, ctx in contexts.items():
        tok = tokens[i]
        if tok.kind != "num" or tok.unit != "" or ctx.whole is None or ctx.noun is not None or ctx.events:
            continue
        whole = contexts[ctx.whole]
        prefix = folded[ctx.clause[0]:tok.start].strip(" ,")
        tail, pos = [], tokens[ctx.whole].end  # the words after the whole in its clause, numbers as one mark
        for t in tokens[ctx.whole + 1:]:
            if t.start >= whole.clause[1]:
                break
            tail += [folded[pos:t.start], "\ue000"]
            pos = t.end
        tail = "".join(tail) + folded[pos:whole.clause[1]]
        if whole.noun is not None or not (_RESTATING.search(prefix) or not prefix and ctx.clause[0] > ctx.sentence[0]) \
                or not _RESTATED_ASIDE_TAIL.fullmatch(tail):
            continue  # "It was 3 of 11 in the national ranking": a pair of something else
        if not _elliptical(folded, "en", tokens[ctx.whole], [], len(folded)):
            continue  # "12 of the 15 districts": the whole counts something of its own
        index = sentences.index(ctx.sentence) if ctx.sentence in sentences else 0
        floor = sentences[index - 1][0] if index else ctx.sentence[0]
        anchor = next((t for t in reversed(count_nouns) if floor <= t.start and t.end <= tok.start), None)
        if anchor is None:
            continue
        counted = lex.nouns.get(anchor.text, set())
        done = [e for e in events if floor <= e.start and e.end <= tok.start and any(
            m in counted for m in lex.events.get(e.text, {}))]
        done = [e for e in done if _state_in_clause(folded, "en", clauses, e, lex) == "done"]
        if not done:
            continue
        ctx.noun, ctx.noun_how = anchor, "previous"
        whole.noun, whole.noun_how = anchor, "part"
        ctx.events.append((done[-1], "done"))
        ctx.clause_done.append(done[-1])


#: Words that make "one of N ..." a membership of the group the sentence before speaks of ("one of 11
#: provinces and cities taking part", "... entrusted with it"), not of any group ("with a metro line").
EN_MEMBERSHIP = re.compile(r"\b(?:tak(?:e|ing|en)\s+part|participat\w*|entrusted\s+with\s+it|"
                           r"(?:in|for)\s+(?:it|the\s+(?:pilot|programme|program|scheme|trial)))\b")
_EN_ONE_OF = re.compile(r"\bone\s+of\s+(?:the\s+)?(?:[a-z]+'s\s+)?$")


def _one_of(folded: str, tok) -> bool:
    """"one of five provinces": the number is the size of a group something belongs to."""
    return bool(_EN_ONE_OF.search(folded[max(0, tok.start - 30):tok.start]))


#: Who may have done a plan's tasks in a sentence that names them not: a pronoun or the place itself
#: ("they had ticked off 119", "the city had completed 81"; not "inspectors carried out 210").
_EN_DOER = re.compile(r"\b(?:we|they|it|the\s+(?:city|province|municipality|pilot|government|region|district))"
                      r"(?:\s+(?:have|has|had|'ve|now|already|so\s+far|just|then|also)){0,3}\s+$")


#: A period that makes a count a part ("since January", "this year", "in a single week").
_EN_PERIOD = re.compile(r"\b(?:since|during|this\s+(?:year|month|quarter|week)|last\s+(?:year|month|quarter|week)|"
                        r"in\s+(?:a|one|the)\s+(?:single|first|second|third|fourth|last|past)|per|each|every)\b")
#: What may follow such a count: nothing, or where it stands ("so far", "by June", ", officials said").
_EN_COUNT_TAIL = re.compile(r"\s*(?:$|[,;.)]|so\s+far\b|to\s+date\b|in\s+all\b|in\s+total\b|by\s+(?:now|then|the\s+end|"
                            r"[a-z]+\s*(?:[,;.]|$)))")


def _object_of_event(folded, tok, ctx: "Context", nouns: list[Term], events: list[Term], lex: Lexicon, clauses,
                     sentences) -> Term | None:
    """"Wuxi wrote 140 tasks into the plan. By July they had ticked off 119": a bare count right after a
    done event, said of the place or a pronoun, takes the count noun the sentence before names last, if
    that noun's metric has the event (so "issued 20 policies. ... implemented 15" does not make 15
    policies, nor "inspectors carried out 210" 210 tasks)."""
    if ctx.whole is not None or ctx.sentence not in sentences or not sentences.index(ctx.sentence):
        return None
    event = next((e for e in events if e.end <= tok.start and not folded[e.end:tok.start].strip()), None)
    if event is None or event.head >= 0 or not _EN_DOER.search(folded, ctx.clause[0], event.start):
        return None
    if _EN_PERIOD.search(folded, ctx.sentence[0], tok.start) or not _EN_COUNT_TAIL.match(folded, tok.end):
        return None  # "Since January the city has completed 12", "completed 14 in a single week"
    has_event = set(lex.events.get(event.text, {}))
    if any(ctx.sentence[0] <= t.start < tok.start and has_event & lex.nouns.get(t.text, set()) for t in nouns):
        return None  # its own sentence names what was done (other rules read it), not "the city"
    state = _state_in_clause(folded, "en", clauses, event, lex)
    before = sentences[sentences.index(ctx.sentence) - 1]
    earlier = [t for t in nouns if before[0] <= t.start and t.end <= before[1]]
    anchor = earlier[-1] if earlier else None
    if state != "done" or anchor is None or not has_event & lex.nouns.get(anchor.text, set()):
        return None
    return anchor


#: What may stand before a count whose noun is the topic before it: time words, links, output verbs.
_ZH_TOPIC_LINKS = re.compile(r"截至|截止|到|至|目前|当前|现在|迄今|已经|已|累计|共计|总计|合计|一共|总共|共|有|达到|达|为|是|"
                             r"则|也|还|都|了|底|末|" + ZH_NP_VERBS)


def _zh_topic(folded: str, tok, ctx: "Context", nouns: list[Term], events: list[Term], clauses,
              tokens) -> tuple[Term, int] | None:
    """A Chinese topic: the clause before a count, in its sentence, is a noun phrase ending in a catalog
    noun and holding no count ("我們引進的現代服務業項目，到去年底累計一百八十多個"); the count's own
    clause says nothing before it but time words, links and verbs ("分布在12个区县", "涉及企业200个"
    say something else). Gives the noun and where the topic starts."""
    if ctx.clause not in clauses:
        return None
    index = clauses.index(ctx.clause)
    if index == 0 or clauses[index - 1][0] < ctx.sentence[0]:
        return None
    start, end = clauses[index - 1]
    if any(start <= t.start < end and t.kind in ("num", "date") for t in tokens):
        return None
    cut = [(t.start, t.end) for t in tokens if t.kind == "date" and ctx.clause[0] <= t.start < tok.start] + [
        (e.start, e.end) for e in events if ctx.clause[0] <= e.start < tok.start]
    own = "".join(folded[k] for k in range(ctx.clause[0], tok.start) if not any(a <= k < b for a, b in cut))
    if _ZH_TOPIC_LINKS.sub("", own).strip(" ，,：:"):
        return None
    noun = next((t for t in nouns if start <= t.start and t.end == end - 1), None)
    if noun is None or ZH_SCOPE.search(folded, start, noun.start) or ZH_LABEL_ASIDE.search(folded, start, noun.start):
        return None  # "去年落地的項目，" "省级部门牵头的任务，": a part of them
    return (noun, start)


def _zh_topic_carries(folded: str, tok, ctx) -> bool:
    """A Chinese count that names nothing, with an event of its own just before it and nothing else
    named between its sentence's start and it but time words and links ("截至6月底，已實施98項")."""
    head = folded[ctx.sentence[0]:tok.start]
    if not re.search(r"(?:已经|已|累计|共)?\S{0,2}(?:实施|完成|落实|落地|开展|推出|出台|形成)了?$", head):
        return False
    rest = re.sub(r"截至|截止|到|至|目前|当前|现在|今年|去年|[0-9一二三四五六七八九十〇]+月?[底末初中]?|已经|已|累计|共|"
                  r"实施|完成|落实|落地|开展|推出|出台|形成|了|，|,|\s", "", head)
    return not rest


@dataclass
class Carry:
    """What a line leaves for the next line of its language (see :func:`read_line`)."""

    noun: "Term | None" = None      # the last count noun it named
    question: bool = False          # whether it ends with a question
    asks_noun: bool = False         # ... whose last sentence names that noun ("How many tasks ...?")
    asks_rest: bool = False         # ... about what is left ("How many tasks are left?", "還剩多少")
    asks_count: bool = False        # ... asking for a count or progress, naming nothing ("目前進度如何？")


def carry_of(line: Line, lex: Lexicon, before: Carry | None = None) -> Carry:
    """The :class:`Carry` of a read line (``before``: the previous line's, whose noun a line that
    names none passes on)."""
    nouns = [t for t in line.terms if t.kind == "noun" and "count" in lex.kinds.get(t.text, ())]
    question = bool(_QUESTION_END.search(line.text))
    last = sentence_spans(line.text, line.lang)[-1] if line.text else (0, 0)
    asked = line.folded[last[0]:last[1]]
    names = bool(nouns) and last[0] <= nouns[-1].start < last[1]
    return Carry(nouns[-1] if nouns else (before.noun if before else None), question, question and names,
                 question and bool(_ASKS_WHAT_IS_LEFT.search(asked)),
                 question and not names and bool(_ASKS_HOW_MANY.search(asked)))


def _noun_from_before(folded: str, lang: str, tok, ctx, nouns: list[Term], sentences, carried: Carry | None) -> None:
    """A count that names nothing takes the noun named last before its sentence, in two cases only:
    "41 of them" (a part of those things, never their total) and an answer to a question ("問：…
    多少項任務？答：一共是132項")."""
    earlier = [t for t in nouns if t.end <= ctx.sentence[0]]
    anchor = earlier[-1] if earlier else (carried.noun if carried else None)
    if anchor is None:
        return
    if lang == "en" and EN_OF_THEM.match(folded[tok.end:]):
        ctx.noun, ctx.noun_how, ctx.subset = anchor, "previous", True
        return
    if lang == "zh" and earlier and tok.classifier and _zh_topic_carries(folded, tok, ctx):
        ctx.noun, ctx.noun_how = anchor, "previous"  # "共明確任務122項。截至6月底，已實施98項"
        return
    index = sentences.index(ctx.sentence) if ctx.sentence in sentences else 0
    if index:
        question = sentences[index - 1]
        in_question = [t for t in nouns if question[0] <= t.start < question[1]]
        # "…多少項任務？" names it; "現在落實了多少？" names nothing and asks about the one before
        asks_count = bool(_ASKS_HOW_MANY.search(folded[question[0]:question[1]]))
        asked = bool(_QUESTION_END.search(folded[:ctx.sentence[0]])) and (
            anchor in in_question or not in_question and asks_count)
        about_rest = asked and bool(_ASKS_WHAT_IS_LEFT.search(folded[question[0]:question[1]]))
    else:
        asked = bool(carried and carried.question and earlier == [] and carried.noun is anchor
                     and (carried.asks_noun or carried.asks_count))
        about_rest = bool(asked and carried.asks_rest)
    if asked and (lang == "zh" and tok.classifier or lang == "en"):
        ctx.noun, ctx.noun_how = anchor, "question"
        ctx.set_aside, ctx.subset = ctx.set_aside or about_rest, ctx.subset or about_rest


# ----------------------------------------------------------------------------------- tables
CELL_SEP = re.compile(r"\s*[|｜]\s*")
_INDEX_HEADING = re.compile(r"(?i:no\.?|#|item|序号|序號|编号|編號|项次|項次)")
_INDEX_CELL = re.compile(r"\s*[0-9]{1,3}[.、]?\s*|\s*[（(]?[一二三四五六七八九十]{1,3}[)）、]?\s*")


def cells(text: str) -> list[tuple[int, int]]:
    """Spans of the cells of a table row written with ``|`` separators (outer bars dropped)."""
    out, start = [], 0
    for m in CELL_SEP.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if e > s or out.index((s, e)) not in (0, len(out) - 1)]


def is_table_row(text: str) -> bool:
    return bool(CELL_SEP.search(text)) and len(cells(text)) >= 2


def read_row(text: str, lang: str, lex: Lexicon, ref=None, header: list[str] | None = None) -> Line:
    """A table row: each value cell is read on its own (relations inside it: "101 of 120 (84.2%)",
    "64／77項"), and what it lacks comes from its row's label and its column's heading: the noun
    ("Tasks implemented | 69"), the event ("Tasks | 132 | 118" under "… | Target | Achieved"), the
    name ("Implementation rate | 80.2%") and ``with`` words. A first cell holding only a row number
    ("1 | 已實施任務 | 118項") is not a figure."""
    line = read_line(text, lang, lex, ref)
    spans = cells(text)
    label_at = 0
    second_has_number = any(t.kind == "num" and spans[1][0] <= t.start < spans[1][1] for t in line.tokens)
    index_heading = bool(header) and bool(_INDEX_HEADING.fullmatch(header[0].strip()))
    if len(spans) > 2 and _INDEX_CELL.fullmatch(text[spans[0][0]:spans[0][1]]) and (
            index_heading or not second_has_number):
        label_at = 1
        for tok in line.tokens:
            if spans[0][0] <= tok.start < spans[0][1]:
                tok.kind = "marker"
    if any(t.kind == "num" and spans[label_at][0] <= t.start < spans[label_at][1] for t in line.tokens):
        label_at = -1  # no row label: the headings name the columns ("77 | 59 | 78.6%")
    label_terms = []
    of_which = label_at >= 0 and bool(OF_WHICH_LABEL.match(text[spans[label_at][0]:spans[label_at][1]])
                                      or REMAINING_LABEL.match(text[spans[label_at][0]:spans[label_at][1]]))
    label_future = label_at >= 0 and bool((EN_FUTURE if lang == "en" else ZH_FUTURE).search(
        catalog_module.fold(text[spans[label_at][0]:spans[label_at][1]], lang)))
    if label_at >= 0:
        ls, le = spans[label_at]
        label_terms = [(t, line.folded, ls) for t in _head_first(line.folded, [t for t in line.terms
                                                                                   if ls <= t.start < le])]
    by_start = {tok.start: i for i, tok in enumerate(line.tokens)}
    row_percent = _row_in_percent(text, spans, label_at)
    row_years = label_at >= 0 and any(_YEARS_CELL.fullmatch(text[s:e]) for col, (s, e) in enumerate(spans)
                                      if col != label_at)
    row: list[int] = []
    for col, (s, e) in enumerate(spans):
        if col <= label_at:
            continue
        extra = list(label_terms)
        heading = header[col] if header and col < len(header) else ""
        if NOTES_HEADING.fullmatch(heading.strip()):
            for i, tok in enumerate(line.tokens):  # "較上季度增加9項", "其中全國推廣8個": not the row's figure
                if s <= tok.start < e and i in line.contexts:
                    line.contexts[i].of_which = True
            continue
        part_column = bool(PART_HEADING.search(heading))  # "本季度新增", "其中：外資": a part of the row's figure
        heading_terms = []
        if heading.strip():
            hfold = catalog_module.fold(heading, lang)
            heading_terms = _head_first(hfold, find_terms(hfold, lang, lex, numerals.tokenize(heading, lang, ref), heading))
            extra += [(t, hfold, 0) for t in heading_terms]
        # "Term (years)", "期限（年）": a length, by the heading's own noun or name of one ("Time elapsed (years)" is not)
        years_column = bool(_YEARS_HEADING.search(heading)) and not _YEARS_NOT_TERM.search(heading) and any(
            t.kind in ("noun", "name") and "years" in lex.kinds.get(t.text, ()) for t in heading_terms)
        sub = read_line(text[s:e], lang, lex, ref)
        index = {j: by_start.get(tok.start + s) for j, tok in enumerate(sub.tokens)}
        sub_events = [t for t in sub.terms if t.kind == "event"]
        for j, ctx in sub.contexts.items():
            i = index.get(j)
            if i is None:
                continue
            plan_total = bool(PLAN_TOTAL_AFTER[lang].match(sub.folded[sub.tokens[j].end:]))
            if not plan_total and not _elliptical(sub.folded, lang, sub.tokens[j], sub_events, len(sub.text)):
                line.contexts[i] = ctx  # "across 6 areas": the number counts something of its own
                continue
            if plan_total:  # "99 planned", "120 (計劃)": the plan's total, whatever the row says happened
                ctx.is_whole = True
            for attr in ("whole", "part", "share_whole"):
                ref_j = getattr(ctx, attr)
                setattr(ctx, attr, index.get(ref_j) if ref_j is not None else None)
            if line.tokens[i].unit == "" and line.tokens[i].kind == "num" and (
                    row_percent or re.search(r"%|％|per\s?cent", heading)):
                line.tokens[i].unit = "%"  # the unit is in the heading, the row label or a unit cell: "佔比（%）"
            elif line.tokens[i].unit == "" and line.tokens[i].kind == "num" and (
                    row_years or years_column):
                line.tokens[i].unit = "years"  # "試點期限 | 年 | 3", a column "Term (years)"
            _lend_label(ctx, line.tokens[i], extra, lang, lex)
            ctx.of_which = ctx.of_which or of_which or part_column
            ctx.future = ctx.future or label_future  # "Projects under negotiation | 40"
            line.contexts[i] = ctx
            row.append(i)
    previous = None
    for i in row:  # "任務總數 | 已實施 | 實施率": a column naming only an event counts what the row counts
        ctx, tok = line.contexts[i], line.tokens[i]
        if tok.kind == "num" and tok.unit == "":
            if ctx.noun is None and previous is not None:
                ctx.noun, ctx.noun_how = previous, "label"
            previous = ctx.noun or previous
    _row_share(line, row)
    return line


_YEARS_NOT_TERM = re.compile(r"(?i:remaining|left|extension|extended|elapsed|passed|so\s+far|since)|剩余|剩餘|延长|延長|"
                             r"延期|已过|已過|已经|已經|已运行|已運行")
_YEARS_HEADING = re.compile(r"[(（]\s*(?:years?|yrs?\.?|年)\s*[)）]", re.I)
_YEARS_CELL = re.compile(r"\s*(?:年|years?|yrs?\.?)\s*", re.I)
_PERCENT_CELL = re.compile(r"\s*(?:%|％|per\s?cent|百分比)\s*", re.I)
_PERCENT_LABEL = re.compile(r"[（(]\s*(?:%|％)\s*[)）]|%|％|\bper\s?cent\b", re.I)


def _row_in_percent(text: str, spans: list[tuple[int, int]], label_at: int) -> bool:
    """Whether a row's values are percentages by its label ("Implementation rate (%)", "實施率（%）")
    or by a unit cell holding only the sign ("Implementation rate | % | 80.0").

    >>> row = "Implementation rate | % | 80.0"
    >>> _row_in_percent(row, cells(row), 0), _row_in_percent("Tasks | tasks | 140", cells("Tasks | tasks | 140"), 0)
    (True, False)
    """
    if label_at < 0:
        return False
    if _PERCENT_LABEL.search(text[spans[label_at][0]:spans[label_at][1]]):
        return True
    return any(_PERCENT_CELL.fullmatch(text[s:e]) for col, (s, e) in enumerate(spans) if col != label_at)


def _head_first(folded: str, terms: list[Term]) -> list[Term]:
    """Terms of a label with its head noun first ("總體方案任務數": 任務, not 方案)."""
    nouns = [t for t in terms if t.kind == "noun"]
    if not nouns:
        return terms
    head = _extend_compound(folded, nouns[0], nouns, len(folded))
    return [head] + [t for t in terms if t is not head]


def _row_share(line: Line, row: list[int]) -> None:
    """A row with one count said done, one that is not, and one percentage ("77 | 59 | 78.6%" under
    "Tasks in plan | Tasks implemented | Implementation rate"): the percentage is the share of the
    done count in the other."""
    toks, ctxs = line.tokens, line.contexts
    counts = [i for i in row if toks[i].kind == "num" and toks[i].unit == ""]
    pcts = [i for i in row if toks[i].kind == "num" and toks[i].unit == "%"]
    if len(pcts) > 1:
        return
    done = [i for i in counts if any(state == "done" for _, state in ctxs[i].events) and not ctxs[i].is_whole]
    rest = [i for i in counts if i not in done]
    if len(done) == 1 and len(rest) == 1 and ctxs[done[0]].noun is not None and ctxs[rest[0]].noun is not None \
            and ctxs[done[0]].noun.text == ctxs[rest[0]].noun.text:
        if pcts and ctxs[pcts[0]].part is None:
            ctxs[pcts[0]].part, ctxs[pcts[0]].share_whole = done[0], rest[0]
        if ctxs[done[0]].whole is None:
            ctxs[done[0]].whole, ctxs[rest[0]].is_whole = rest[0], True


def _lend_label(ctx: Context, tok: numerals.Token, extra, lang: str, lex: Lexicon) -> None:
    """Give a table value what its row label and column heading say (see :func:`read_row`)."""
    if ctx.noun is None:  # (a length takes a noun of lengths, a count one of counts: "Pilot | ... | Pilot regions")
        want = "years" if tok.unit == "years" else "count"
        noun = next((t for t, _, _ in extra if t.kind == "noun" and want in lex.kinds.get(t.text, ())), None)
        if noun is not None:
            ctx.noun, ctx.noun_how = noun, "label"
    if not ctx.events and not ctx.is_whole:
        for t, folded, start in extra:
            if t.kind == "event":
                state = event_state(folded, lang, start, t, next(iter(lex.events.get(t.text, {}).values()), "done"))
                ctx.events.append((t, state))
                if state == "done":
                    ctx.clause_done.append(t)
    if ctx.name is None and tok.unit in ("%", "pp", "years"):
        ctx.name = next((t for t, _, _ in extra if t.kind == "name"), None)
    ctx.withs += [t for t, _, _ in extra if t.kind == "with"]
