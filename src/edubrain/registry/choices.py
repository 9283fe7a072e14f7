"""Code lists (代码表) used by the registry models, with their Chinese labels."""

from django.db import models

from edubrain.core.stages import GRADES, SCHOOL_TYPES

SchoolType = models.TextChoices("SchoolType", [(k, (k, v[0])) for k, v in SCHOOL_TYPES.items()])
GRADE_CHOICES = [(g.code, g.name) for g in GRADES]


class Ownership(models.TextChoices):
    PUBLIC = "public", "公办"
    PRIVATE = "private", "民办"


class Locality(models.TextChoices):
    """城乡分类 (统计用城乡划分)."""

    URBAN = "urban", "城区"
    TOWN = "town", "镇区"
    RURAL = "rural", "乡村"


class Rating(models.TextChoices):
    NONE = "", "未评定"
    PROVINCIAL_MODEL = "prov_model", "省级示范"
    PROVINCIAL_1 = "prov_1", "省一类"
    PROVINCIAL_2 = "prov_2", "省二类"
    PROVINCIAL_3 = "prov_3", "省三类"
    CITY_MODEL = "city_model", "市级示范"


class GroupKind(models.TextChoices):
    """教育集团类型."""

    URBAN_RURAL = "urban_rural", "城乡共建型"
    CLOSE = "close", "紧密融合型"
    THROUGH = "through", "贯通培养型"
    VOCATIONAL = "vocational", "职普融通型"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Hukou(models.TextChoices):
    LOCAL = "local", "本地户籍"
    MIGRANT = "migrant", "随迁子女"


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在籍"
    TRANSFERRED_IN = "in", "转入"
    TRANSFERRED_OUT = "out", "转出"
    SUSPENDED = "suspended", "休学"
    DROPPED_OUT = "dropped", "辍学"
    GRADUATED = "graduated", "毕业"


# Statuses that count as 在校生 in the year.
ON_ROLL_STATUSES = (EnrollmentStatus.ENROLLED, EnrollmentStatus.TRANSFERRED_IN)


class Post(models.TextChoices):
    TEACHER = "teacher", "专任教师"
    ADMIN = "admin", "行政人员"
    SUPPORT = "support", "教辅人员"
    WORKER = "worker", "工勤人员"


class Education(models.TextChoices):
    POSTGRADUATE = "postgrad", "研究生"
    BACHELOR = "bachelor", "本科"
    COLLEGE = "college", "专科"
    HIGH_SCHOOL = "high", "高中及以下"


class Title(models.TextChoices):
    NONE = "", "未定级"
    SENIOR_PLUS = "zhengji", "正高级"
    SENIOR = "gaoji", "高级"
    FIRST = "yiji", "一级"
    SECOND = "erji", "二级"
    THIRD = "sanji", "三级"


class Tier(models.TextChoices):
    NONE = "", "无"
    BACKBONE = "backbone", "骨干教师"
    LEADER = "leader", "学科带头人"
    FAMOUS_TEACHER = "famous", "名师"
    FAMOUS_HEAD_TEACHER = "famous_ht", "名班主任"
    FAMOUS_PRINCIPAL = "famous_principal", "名校长"


SUBJECTS = [
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "政治",
    "道德与法治",
    "历史",
    "地理",
    "科学",
    "信息技术",
    "体育",
    "音乐",
    "美术",
    "心理健康",
    "劳动",
    "综合实践",
    "学前教育",
    "特殊教育",
    "专业课",
]
SUBJECT_CHOICES = [(s, s) for s in SUBJECTS]

# 民族代码 (GB 3304-1991), the most common in 沂源 first; the full list lives in data/ethnicity.csv.
ETHNICITY_CHOICES = [
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("97", "其他"),
    ("98", "外国血统中国籍人士"),
]
