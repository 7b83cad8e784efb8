"""The words extraction reads a report with: place types, list heads, statuses, units and boundaries.

Every table is data, not code, so a reader can see (and extend) what the extractor knows. The
words are the ones Chinese government news reports use for parks and development projects; they
were written from the forms such reports take, not from one report.
"""

from __future__ import annotations

__all__ = [
    "ADMIN_PREFIXES",
    "ADMIN_SUFFIXES",
    "GENERIC_WORDS",
    "LIST_HEADS",
    "NAME_VERBS",
    "PART_AREAS",
    "PHOTO_WORDS",
    "PLACE_CHARS",
    "STATUS_RULES",
    "STOP_ENDINGS",
    "STOP_WORDS",
    "SUFFIXES",
    "UNITS_M2",
]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Place-type endings, longest first where one ends another: ``(ending, category, park_class, strength)``.
#: ``strength`` is 2 for an ending that alone says "a named place" and 1 for one that needs more
#: evidence (a list, an address, a place-like stem).
SUFFIXES: tuple[tuple[str, str, str | None, int], ...] = (
    ("口袋公园", "park", "游园", 2),
    ("街头游园", "park", "游园", 2),
    ("游园", "park", "游园", 2),
    ("社区公园", "park", "社区公园", 2),
    ("综合公园", "park", "综合公园", 2),
    ("动植物公园", "park", "专类公园", 2),
    ("动植物园", "park", "专类公园", 2),
    ("植物园", "park", "专类公园", 2),
    ("动物园", "park", "专类公园", 2),
    ("儿童公园", "park", "专类公园", 2),
    ("体育公园", "park", "专类公园", 2),
    ("遗址公园", "park", "专类公园", 2),
    ("湿地公园", "park", None, 2),
    ("森林公园", "park", None, 2),
    ("公园", "park", None, 2),
    ("绿地", "park", None, 1),
    ("主题乐园", "commerce", None, 2),
    ("乐园", "commerce", None, 2),
    ("慢闪街区", "commerce", None, 2),
    ("商业街区", "commerce", None, 2),
    ("街区", "commerce", None, 1),
    ("步行街", "commerce", None, 2),
    ("商业综合体", "commerce", None, 2),
    ("购物中心", "commerce", None, 2),
    ("万象城", "commerce", None, 2),
    ("卖场", "commerce", None, 2),
    ("商场", "commerce", None, 2),
    ("商城", "commerce", None, 2),
    ("百货", "commerce", None, 2),
    ("酒店", "commerce", None, 2),
    ("博物馆", "commerce", None, 2),
    ("图书馆", "commerce", None, 2),
    ("文化馆", "commerce", None, 2),
    ("美术馆", "commerce", None, 2),
    ("科技馆", "commerce", None, 2),
    ("体育馆", "commerce", None, 2),
    ("体育中心", "commerce", None, 2),
    ("剧院", "commerce", None, 2),
    ("景区", "commerce", None, 1),
    ("市场", "commerce", None, 1),
    ("广场", "commerce", None, 1),
    ("金融中心", "office", None, 2),
    ("商务中心", "office", None, 2),
    ("总部基地", "office", None, 2),
    ("写字楼", "office", None, 2),
    ("大厦", "office", None, 2),
    ("产业园区", "industry", None, 2),
    ("产业园", "industry", None, 2),
    ("科技园", "industry", None, 2),
    ("工业园", "industry", None, 2),
    ("创新基地", "industry", None, 2),
    ("基地", "industry", None, 1),
    ("医药城", "industry", None, 2),
    ("汽车城", "industry", None, 2),
    ("科技城", "industry", None, 2),
    ("孵化器", "industry", None, 2),
    ("养老服务中心", "health", None, 2),
    ("卫生服务站", "health", None, 2),
    ("社区卫生服务中心", "health", None, 2),
    ("卫生服务中心", "health", None, 2),
    ("医院", "health", None, 2),
    ("卫生院", "health", None, 2),
    ("养老院", "health", None, 2),
    ("幼儿园", "education", None, 2),
    ("分园", "education", None, 2),
    ("小学", "education", None, 2),
    ("中学", "education", None, 2),
    ("学校", "education", None, 2),
    ("大学", "education", None, 2),
    ("学院", "education", None, 2),
    ("小区", "residential", None, 2),
    ("佳苑", "residential", None, 1),
    ("花园", "residential", None, 1),
    ("家园", "residential", None, 1),
    ("新村", "residential", None, 1),
    ("苑", "residential", None, 1),
    ("路段围挡", "roads", None, 2),
    ("改造提升工程", "roads", None, 2),
    ("改造工程", "roads", None, 2),
    ("工程", "roads", None, 1),
    ("项目", "industry", None, 1),
    ("中心", "office", None, 1),
    ("园", "park", None, 1),
    ("城", "commerce", None, 1),
)

#: List heads after 等 (``A、B等商务楼宇``): the head names the items' kind.
LIST_HEADS: dict[str, tuple[str, str | None]] = {
    "口袋公园": ("park", "游园"),
    "游园": ("park", "游园"),
    "公园": ("park", None),
    "商务楼宇": ("office", None),
    "楼宇": ("office", None),
    "写字楼": ("office", None),
    "行业龙头": ("industry", None),
    "龙头企业": ("industry", None),
    "企业": ("industry", None),
    "产业项目": ("industry", None),
    "重点项目": ("industry", None),
    "项目": ("industry", None),
    "商业综合体": ("commerce", None),
    "商圈": ("commerce", None),
    "景区": ("commerce", None),
    "小区": ("residential", None),
    "学校": ("education", None),
    "幼儿园": ("education", None),
    "医院": ("health", None),
    "道路": ("roads", None),
    "街路": ("roads", None),
}

#: Words that end a name when walking left from its ending: verbs, prepositions, adverbs of reports.
STOP_WORDS: frozenset[str] = frozenset(
    _words("""将 把 以 对 在 于 从 由 向 为 与 和 及 或 并 了 的 是 有 让 使 被 给 等 其中 其 该 这 那 此 全区 全市 我区 我市 全省
    建设 推进 全力推进 加快 加快推进 打造 新建 建成 开工 开放 完成 实现 引入 引进 储备 谋划 签约 组织 服务 跟踪服务 全程
    家住 住在 位于 新增 改建 扩建 实施 开展 启动 推动 落实 围绕 依托 通过 包括 如 即 目前 今年 去年 上半年 下半年 截至目前
    已 已经 正在 正 还 也 都 又 再 均 分别 共 累计 持续 不断 积极 全面 深入 扎实 稳步 率先 首批 一批 一个个 全力 前往 来到
    入驻 落户 投资 拿地 落位 成为 作为 变身 建好 一座 一处 这座 这里 附近 周边 市民 居民 游客 群众""")
)
#: Endings of tokens that end a name (``跟踪服务``, ``全力推进``).
STOP_ENDINGS: tuple[str, ...] = ("推进", "服务", "建设", "打造", "实施", "开展", "组织", "实现", "完成", "计划")
#: Verbs that are part of project names (``改造提升工程``) or road names (``前进大街``).
NAME_VERBS: frozenset[str] = frozenset(
    [
        "改造",
        "提升",
        "整治",
        "治理",
        "修缮",
        "拓宽",
        "新建",
        "前进",
        "解放",
        "胜利",
        "光复",
        "复兴",
        "繁荣",
        "跃进",
        "创意",
        "互联",
        "创新",
        "科创",
        "慢闪",
        "生态",
        "示范",
    ]
)
#: Stems that make a name generic: after dropping them, nothing specific is left (``民办园``, ``重点项目``).
GENERIC_WORDS: tuple[str, ...] = tuple(
    sorted(
        _words("""普惠性 普惠 民办 公办 示范 区属 市属 公立 优质 品牌 重点 产业 改建 新建 扩建 城市更新 城市 债券 民生 计划 签约 储备
        开放式 开放 口袋 一个个 多个 一批 各类 各 全区 全市 本 该 新 老旧 老 旧 回迁 住宅 信托制 大型 小型 综合 特色 精品 街头
        学前 资源 扩容 育人 体育 思政 一体化 工业 商务 商业 现代 城区 主题 社区 健康 文化 休闲 生态 绿色 美丽 美好 幸福
        智慧 数字 共享 市民 居民 附属 创新 试点 驻区 街路 道路 小区 分 第 几 个 所 座 处 家 条 项 市级 省级 国家级 国家 地方 行业 龙头 领域 主 其他"""),
        key=len,
        reverse=True,
    )
)
#: Characters that make a stem look like a place (a road, a river, a building): weak endings need one.
PLACE_CHARS = frozenset("路街道桥河湖山岭江沟泉湾园苑城楼馆场站港村屯庄台府门")
#: Administrative units: never a candidate, and dropped from the front of names when comparing.
ADMIN_SUFFIXES: tuple[str, ...] = ("省", "市", "区", "县", "街道", "乡", "镇", "开发区", "新区", "社区", "村")
ADMIN_PREFIXES: tuple[str, ...] = ("吉林省", "长春市", "长春", "南关区")
#: Words of photo captions that follow the name (``南溪湿地公园鸟瞰图``).
PHOTO_WORDS: tuple[str, ...] = (
    "鸟瞰图",
    "鸟瞰",
    "效果图",
    "全景",
    "夜景",
    "一角",
    "实景",
    "外景",
    "掠影",
    "风光",
    "资料图",
)

#: Status words, checked in order on the clause of a mention: the first that matches decides.
STATUS_RULES: tuple[tuple[str, str], ...] = (
    (r"拿地|签约|储备|谋划|规划|拟建|拟于|计划|将建|将于|筹建|前期|招商|纳入.{0,8}计划", "planned"),
    (
        r"在建|开工|开复工|施工|封顶|完成投资|有序推进|扎实推进|启动建设|正在建设|加快建设|建设中|改造中|推进.{0,16}(?:建设|工程|改造)|全力推进|稳步推进|加快推进",
        "under_construction",
    ),
    (
        r"建成|开放|开园|投用|投入使用|投运|运营|落位|竣工|完工|通车|入驻|开业|亮相|建设了|新建了|建成了|完成|新增|揭牌|迎客",
        "open",
    ),
    (r"建设|改造|新建|续建", "under_construction"),
)

#: Square metres per unit, longest spelling first.
UNITS_M2: tuple[tuple[str, float], ...] = (
    ("万平方米", 1e4),
    ("平方公里", 1e6),
    ("平方千米", 1e6),
    ("平方米", 1.0),
    ("万亩", 1e8 / 15),
    ("公顷", 1e4),
    ("km²", 1e6),
    ("m²", 1.0),
    ("㎡", 1.0),
    ("平米", 1.0),
    ("亩", 1e4 / 15),
)
#: Words before an area that make it a part of the place, not the place: the figure's key.
PART_AREAS: tuple[tuple[str, str], ...] = (
    ("水面", "water_area_m2"),
    ("水域", "water_area_m2"),
    ("湖面", "water_area_m2"),
    ("水体", "water_area_m2"),
    ("绿化", "green_area_m2"),
    ("绿地", "green_area_m2"),
    ("草坪", "lawn_area_m2"),
    ("花坛", "flowerbed_area_m2"),
    ("花境", "flowerbed_area_m2"),
    ("建筑", "floor_area_m2"),
    ("铺装", "paved_area_m2"),
    ("停车", "parking_area_m2"),
)
