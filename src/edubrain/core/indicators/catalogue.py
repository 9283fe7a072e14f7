"""The indicator catalogue: every indicator the plan monitoring knows, by stable code.

Each ``IndicatorDef`` names the indicator (Chinese name, unit), says how it is defined (numerator and
denominator in words, from ``shared/reference/standards.md`` where the method is national) and whether the
platform computes it from its data (``computed``, formulas in ``edubrain.core.indicators.formulas``) or it is
entered by hand (``manual``). ``aliases`` are the ways plans write it, used by ``match_indicator`` to link a
parsed target to its indicator. ``levels`` are the org levels values exist for (county, 镇/街道, school) and
``year_basis`` says what the year means: ``school_year`` = the 学年 start year (2024 = 2024—2025学年),
``calendar_year`` = the 自然年.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNTY, TOWN, SCHOOL = "county", "town", "school"
SCHOOL_YEAR, CALENDAR_YEAR = "school_year", "calendar_year"
ALL_LEVELS = (COUNTY, TOWN, SCHOOL)
AREA_LEVELS = (COUNTY, TOWN)


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    unit: str
    aliases: tuple[str, ...] = ()
    definition: str = ""
    numerator: str = ""
    denominator: str = ""
    kind: str = "computed"  # or "manual"
    decimals: int = 1
    higher_is_better: bool = True
    levels: tuple[str, ...] = ALL_LEVELS
    year_basis: str = SCHOOL_YEAR


_ON_ROLL = "学籍状态为在籍或转入"
_TEACHER = "专任教师指岗位类别为专任教师、当学年在职（入职学年 ≤ Y < 离职学年）的教职工"
_BY_SCHOOL = "镇/街道按学校所在地汇总"
_ROLLUP = "上级数值为下级分子之和除以分母之和（不是下级比率的平均）"

CATALOGUE_LIST: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "preschool_enrolment",
        "幼儿园在园人数",
        "万人",
        ("幼儿园在园人数", "在园幼儿数", "学前教育在园幼儿"),
        definition=f"学前教育在园幼儿数：小班、中班、大班（年级01—03）{_ON_ROLL}的幼儿，含特殊教育学校学前部。"
        f"按学年统计（Y 指 Y—Y+1 学年）；分县、镇/街道（{_BY_SCHOOL}）、幼儿园。值以万人计，分子为人数。",
        numerator="在园幼儿数（人）",
        decimals=2,
    ),
    IndicatorDef(
        "preschool_gross_rate",
        "学前三年毛入园率",
        "%",
        ("学前三年毛入园率", "学前教育毛入园率", "毛入园率"),
        definition="学前三年毛入园率 = 在园幼儿数（不论年龄）÷ 3—5岁常住人口 × 100（教育统计口径，"
        "standards.md §3.1；普及普惠国家标准 ≥ 85%）。在园幼儿按学年 Y，"
        "人口取统计局提供的 Y 年分年龄常住人口。"
        "分县、镇/街道（有该镇/街道人口数据时；幼儿按学校所在地计，跨镇入园使镇级比值仅供参考）；"
        "县级人口缺失时用各镇/街道人口之和。毛入园率可超过100%。",
        numerator="在园幼儿数（年级01—03，在籍或转入）",
        denominator="3—5岁常住人口",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "compulsory_enrolment",
        "义务教育在校生",
        "万人",
        ("义务教育在校生", "义务教育在校生数"),
        definition=f"义务教育在校生：小学和初中各年级（年级11—16、21—24）{_ON_ROLL}的学生，含九年一贯制学校和"
        f"特殊教育学校义务教育段。学年口径；分县、镇/街道（{_BY_SCHOOL}）、学校。值以万人计，分子为人数。",
        numerator="义务教育在校生数（人）",
        decimals=2,
    ),
    IndicatorDef(
        "compulsory_retention_rate",
        "九年义务教育巩固率",
        "%",
        ("九年义务教育巩固率", "义务教育巩固率", "巩固率"),
        definition="九年义务教育巩固率 = 初中毕业年级学生数 ÷（九年前一年级在校生 + 其后各年级转入 − 转出）"
        "× 100"
        "（按届追踪，standards.md §3.2 县级报表式：转学在分母中调整；不封顶100%）。Y 学年初中毕业年级"
        "（六三制初三、五四制初四，在籍、转入或已毕业）对应 Y−8 学年一年级（在籍、转入）；转入、转出为该届在"
        "二年级至毕业年级各学年的学籍状态。需 Y−8 至 Y 学年连续的学籍数据，缺少时不计算并注明。"
        f"分县、镇/街道（{_BY_SCHOOL}，小学升初中跨镇流动使镇级值仅供参考）。",
        numerator="Y 学年初中毕业年级学生数（在籍、转入、毕业）",
        denominator="Y−8 学年一年级在校生 + 该届其后转入 − 转出",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "upper_secondary_enrolment",
        "高中阶段教育在校生",
        "万人",
        ("高中阶段教育在校生", "高中阶段在校生"),
        definition=f"高中阶段教育在校生：高一至高三（年级31—33）{_ON_ROLL}的学生，含普通高中、中等职业学校和"
        f"特殊教育学校高中部。学年口径；分县、镇/街道（{_BY_SCHOOL}）、学校。值以万人计，分子为人数。",
        numerator="高中阶段在校生数（人）",
        decimals=2,
    ),
    IndicatorDef(
        "vocational_enrolment",
        "中职在校生",
        "万人",
        ("中职在校生", "中等职业教育在校生", "其中：中职在校生"),
        definition=f"中职在校生：中等职业学校高一至高三{_ON_ROLL}的学生。学年口径；分县、镇/街道"
        f"（{_BY_SCHOOL}）、学校。值以万人计，分子为人数。",
        numerator="中职在校生数（人）",
        decimals=2,
    ),
    IndicatorDef(
        "upper_secondary_gross_rate",
        "高中阶段教育毛入学率",
        "%",
        ("高中阶段教育毛入学率", "高中阶段毛入学率"),
        definition="高中阶段毛入学率 = 高中阶段在校生（普通高中 + 中职 + 特教高中部，不论年龄）÷ "
        "15—17岁常住人口"
        " × 100（standards.md §3.1，国家通行15—17岁口径）。在校生按学年 Y，人口取 Y 年；分县、镇/街道"
        "（有该镇/街道人口数据时，在校生按学校所在地）；县级人口缺失时用各镇/街道人口之和。",
        numerator="高中阶段在校生数（年级31—33，在籍或转入）",
        denominator="15—17岁常住人口",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "preschool_teacher_major_share",
        "幼儿园学前教育专业毕业专任教师比例",
        "%",
        ("幼儿园学前教育专业毕业专任教师比例",),
        definition=f"幼儿园专任教师中学前教育专业毕业者所占比例（standards.md §3.4，定义直接）。{_TEACHER}。"
        f"学年口径；分县、镇/街道、幼儿园；{_ROLLUP}。",
        numerator="学前教育专业毕业的幼儿园专任教师数",
        denominator="幼儿园专任教师数",
    ),
    IndicatorDef(
        "compulsory_teacher_bachelor_share",
        "义务教育阶段本科及以上学历专任教师比例",
        "%",
        ("义务教育阶段本科及以上学历专任教师比例", "义务教育专任教师本科以上学历比例"),
        definition="义务教育学校专任教师中本科及以上学历（本科、研究生）者所占比例（standards.md §3.4）。"
        "义务教育学校指小学、初级中学、九年一贯制学校；十二年一贯制学校、完全中学的教师未登记任教学段，暂不计入。"
        f"{_TEACHER}。学年口径；分县、镇/街道、学校；{_ROLLUP}。",
        numerator="本科及以上学历的义务教育学校专任教师数",
        denominator="义务教育学校（小学、初中、九年一贯制）专任教师数",
    ),
    IndicatorDef(
        "urban_rural_bachelor_ratio",
        "城市与农村义务教育学校专任教师本科以上学历比例之比",
        "",
        ("城市与农村义务教育学校专任教师本科以上学历比例之比",),
        definition="城市义务教育学校专任教师本科以上学历比例 ÷ 农村义务教育学校专任教师本科以上学历比例"
        "（standards.md §3.4）。城市 = 城乡分类为城区的学校；农村 = 镇区和乡村的学校；学校范围与"
        "“义务教育阶段本科及以上学历专任教师比例”相同。分子、分母为两类学校的比例（%），比值越接近1越均衡。"
        "学年口径；仅县级。",
        numerator="城区义务教育学校专任教师本科以上学历比例（%）",
        denominator="镇区和乡村义务教育学校专任教师本科以上学历比例（%）",
        decimals=2,
        higher_is_better=False,
        levels=(COUNTY,),
    ),
    IndicatorDef(
        "senior_teacher_master_share",
        "高中阶段教育专任教师中硕士研究生以上学历比例",
        "%",
        ("高中阶段教育专任教师中硕士研究生以上学历比例", "高中专任教师硕士以上学历比例"),
        definition="高中阶段教育学校（高级中学、中等职业学校）专任教师中研究生学历（硕士、博士）者所占比例。"
        f"完全中学、十二年一贯制学校的教师未登记任教学段，暂不计入。{_TEACHER}。学年口径；分县、镇/街道、学校。",
        numerator="研究生学历的高中阶段专任教师数",
        denominator="高级中学和中等职业学校专任教师数",
    ),
    IndicatorDef(
        "vocational_dual_teacher_share",
        "中职“双师型”教师占专任专业教师比例",
        "%",
        ("中职院校“双师型”教师占专任专业教师比例", "中职“双师型”教师占专任专业教师比例", "双师型教师比例"),
        definition="中等职业学校“双师型”教师 ÷ 专任专业课教师 × 100（规划原文“占专任专业教师比例”；"
        f"standards.md §3.4）。{_TEACHER}。学年口径；分县、镇/街道、学校。",
        numerator="中职专任专业课教师中的“双师型”教师数",
        denominator="中职专任专业课教师数",
    ),
    IndicatorDef(
        "adult_schooling_years",
        "劳动年龄人口平均受教育年限",
        "年",
        ("劳动年龄人口平均受教育年限", "新增劳动力平均受教育年限"),
        definition="劳动年龄人口（16—59岁）平均受教育年限 = Σ（各受教育程度年限 × 人数）÷ 劳动年龄人口"
        "（standards.md §3.3，年限 未上学0、小学6、初中9、高中12、大专及以上16）。由统计局测算，系统取"
        "“平均受教育年限”登记表中的数值，不自行推算。自然年口径；分县、镇/街道（统计局提供时）。",
        numerator="统计局提供的平均受教育年限",
        levels=AREA_LEVELS,
        year_basis=CALENDAR_YEAR,
    ),
    IndicatorDef(
        "public_kindergarten_share",
        "公办幼儿园在园幼儿占比",
        "%",
        ("公办幼儿园在园幼儿占比", "公办园在园幼儿占比", "公办园在园幼儿比例"),
        definition="公办园在园幼儿占比 = 公办园（举办者为公办）在园幼儿 ÷ 全部在园幼儿 × 100（《县域学前教育"
        "普及普惠督导评估办法》，standards.md §2.1；国家标准 ≥ 50%，规划 ≥ 65%）。"
        "特殊教育学校学前部计为公办。"
        f"学年口径；分县、镇/街道（{_BY_SCHOOL}）。",
        numerator="公办园在园幼儿数",
        denominator="全部在园幼儿数",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "inclusive_kindergarten_coverage",
        "普惠性幼儿园覆盖率",
        "%",
        ("普惠性幼儿园覆盖率", "普惠性幼儿园在园幼儿占比"),
        definition="普惠性幼儿园覆盖率 =（公办园在园幼儿 + 普惠性民办园在园幼儿）÷ 全部在园幼儿 × 100"
        "（standards.md §2.1；国家标准 ≥ 80%，规划 ≥ 90%）。普惠性民办园以学校登记的“普惠性幼儿园”为准。"
        f"学年口径；分县、镇/街道（{_BY_SCHOOL}）。",
        numerator="公办园和普惠性民办园在园幼儿数",
        denominator="全部在园幼儿数",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "first_class_kindergarten_share",
        "省一类以上幼儿园占比",
        "%",
        ("省一类以上幼儿园占比",),
        definition="省一类以上幼儿园占比 = 等级为省级示范或省一类的幼儿园所数 ÷ 当学年开办的幼儿园所数 × 100"
        "（按所数；规划 ≥ 60%）。等级取学校登记的当前等级：登记表不保存历年等级，往年也按当前等级计算。"
        f"学年口径；分县、镇/街道（{_BY_SCHOOL}）。",
        numerator="省级示范和省一类幼儿园所数",
        denominator="当学年开办的幼儿园所数",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "preschool_teacher_college_share",
        "幼儿教师专科及以上学历占比",
        "%",
        ("幼儿教师专科及以上学历占比", "幼儿园专任教师专科以上学历比例"),
        definition="幼儿园专任教师中专科及以上学历（专科、本科、研究生）者所占比例（规划 ≥ 85%）。"
        f"{_TEACHER}。学年口径；分县、镇/街道、幼儿园；{_ROLLUP}。",
        numerator="专科及以上学历的幼儿园专任教师数",
        denominator="幼儿园专任教师数",
    ),
    IndicatorDef(
        "fitness_excellent_good_rate",
        "学生体质健康优良率",
        "%",
        ("学生体质健康测试优良率", "体质健康优良率", "优良率"),
        definition="优良率 = 学年总分等级为优秀或良好的学生数 ÷ 实测人数 × 100（《国家学生体质健康标准"
        "（2014年修订）》，standards.md §6；规划 ≥ 55%）。实测人数为有学年总分的学生，"
        "免测、缺项、数据有误不计。"
        "由体质健康模块计算（edubrain.fitness.indicators）。学年口径；分县、镇/街道、学校。",
        numerator="学年总分等级为优秀或良好的学生数",
        denominator="实测人数（免测、缺项、数据有误不计）",
    ),
    IndicatorDef(
        "fitness_pass_rate",
        "学生体质健康合格率",
        "%",
        ("学生体质健康测试合格率", "体质健康合格率", "合格率"),
        definition="合格率 = 学年总分等级为优秀、良好或及格的学生数 ÷ 实测人数 × 100（standards.md §6；"
        "规划 ≥ 95%）。实测人数同优良率。由体质健康模块计算。学年口径；分县、镇/街道、学校。",
        numerator="学年总分等级为优秀、良好或及格的学生数",
        denominator="实测人数（免测、缺项、数据有误不计）",
    ),
    IndicatorDef(
        "myopia_rate",
        "儿童青少年总体近视率",
        "%",
        ("总体近视率", "近视率", "儿童青少年总体近视率"),
        definition="总体近视率 = 筛查性近视（至少一眼裸眼视力 < 5.0 且等效球镜 ≤ −0.50 D）学生数 ÷ 有效筛查"
        "学生数 × 100（WS/T 663-2020，standards.md §5.3、§5.6；规划每年降低不少于1个百分点，"
        "即本学年值减上学年值 ≤ −1.0）。有效筛查指裸眼视力与电脑验光完整、能够分类的筛查记录；"
        "同一学年筛查多次且结论相同的学生按一人计。由视力筛查模块导入时的分类结果计算。学年口径；分县、镇/街道、学校；"
        f"{_ROLLUP}。",
        numerator="筛查性近视学生数",
        denominator="有效筛查学生数",
        higher_is_better=False,
    ),
    IndicatorDef(
        "large_class_count",
        "大班额班级数",
        "个",
        ("大班额", "大班额班级数"),
        definition="大班额班级数：当学年在校学生（在籍、转入）56人及以上的班级数，含66人及以上的超大班额"
        "（教育部口径，standards.md §4.2）。统计小学、初中、普通高中班级（不含幼儿园和中等职业学校），"
        "按每个班级的实际人数，不用平均班额。学年口径；分县、镇/街道、学校；上级为下级之和。",
        numerator="56人及以上的班级数",
        decimals=0,
        higher_is_better=False,
    ),
    IndicatorDef(
        "super_large_class_count",
        "超大班额班级数",
        "个",
        ("超大班额", "超大班额班级数"),
        definition="超大班额班级数：当学年在校学生（在籍、转入）66人及以上的班级数（standards.md §4.2）。"
        "班级范围同大班额。学年口径；分县、镇/街道、学校；上级为下级之和。",
        numerator="66人及以上的班级数",
        decimals=0,
        higher_is_better=False,
    ),
    IndicatorDef(
        "education_expenditure",
        "一般公共预算教育支出",
        "万元",
        ("一般公共预算教育支出", "教育财政支出"),
        definition="一般公共预算教育支出，取教育经费登记表中的县级数（元），以万元列示；"
        "国办发〔2018〕82号要求逐年只增不减（standards.md §9）。自然年口径；仅县级。",
        numerator="一般公共预算教育支出（元）",
        decimals=0,
        levels=(COUNTY,),
        year_basis=CALENDAR_YEAR,
    ),
    IndicatorDef(
        "per_pupil_expenditure",
        "生均一般公共预算教育经费",
        "元",
        ("生均一般公共预算教育经费", "按在校学生人数平均的一般公共预算教育支出"),
        definition="按在校学生人数平均的一般公共预算教育支出 = Y 年一般公共预算教育支出（元）÷ 在校学生数"
        "（国办发〔2018〕82号，standards.md §9，逐年只增不减）。在校学生为本县各级各类学校（幼儿园、中小学、"
        "中职、特教）在籍、转入学生合计，取 Y 年秋季开学的 Y 学年。自然年口径；仅县级。",
        numerator="一般公共预算教育支出（元）",
        denominator="在校学生数（Y 学年，各级各类学校合计）",
        decimals=0,
        levels=(COUNTY,),
        year_basis=CALENDAR_YEAR,
    ),
    IndicatorDef(
        "teacher_research_share",
        "掌握教科研基本流程的一线教师占比",
        "%",
        ("掌握教科研基本流程的一线教师", "一线教师掌握教科研基本流程"),
        definition="全县一线教师中掌握教科研基本流程者所占比例（规划二（五）1“培根筑基”工程，≥ 70%）。"
        "系统无相应登记数据，人工填报。学年口径；仅县级。",
        numerator="掌握教科研基本流程的一线教师数",
        denominator="一线教师数",
        kind="manual",
        levels=(COUNTY,),
    ),
    IndicatorDef(
        "research_backbone_share",
        "成长为教科研骨干力量的一线教师占比",
        "%",
        ("成长为教科研骨干力量的一线教师", "教科研骨干"),
        definition="全县一线教师中成长为教科研骨干力量者所占比例（规划二（五）1“抽穗拔节”工程，≥ 20%）。"
        "系统无相应登记数据，人工填报。学年口径；仅县级。",
        numerator="教科研骨干一线教师数",
        denominator="一线教师数",
        kind="manual",
        levels=(COUNTY,),
    ),
    IndicatorDef(
        "junior_retention_rate",
        "初中巩固率",
        "%",
        ("初中三年巩固率", "初中巩固率"),
        definition="初中巩固率 = 初中毕业年级学生数 ÷（该届初一在校生 + 其后转入 − 转出）× 100（优质均衡督导"
        "评估 Q1，标准 ≥ 95%；standards.md §3.2 两种口径并存，此处用分母调整式）。六三制 Y 学年初三对应 Y−2"
        "学年初一，五四制初四对应 Y−3 学年初一；毕业年级含在籍、转入和已毕业学生。需连续学籍数据。"
        f"分县、镇/街道（{_BY_SCHOOL}）。",
        numerator="Y 学年初中毕业年级学生数（在籍、转入、毕业）",
        denominator="该届初一在校生 + 其后转入 − 转出",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "oversized_school_count",
        "大校额学校数",
        "所",
        ("大校额学校数", "大校额"),
        definition="义务教育段在校生超过规模上限的学校数：小学、初级中学、完全中学（初中部）超过2000人，"
        "九年一贯制、十二年一贯制（义务教育段）超过2500人（优质均衡督导评估 G4，standards.md §4.3）。"
        "学年口径；分县、镇/街道、学校（学校为1即大校额）；上级为下级之和。",
        numerator="超过规模上限的学校数",
        decimals=0,
        higher_is_better=False,
    ),
    IndicatorDef(
        "gigabit_school_share",
        "千兆到校比例",
        "%",
        ("千兆到校比例", "千兆到校"),
        definition="出口带宽达到1000Mbps的中小学校所占比例（规划二（四）1“千兆到校”）。中小学指小学、初中、"
        "一贯制学校、完全中学、普通高中和特殊教育学校，不含幼儿园和中职；分母为登记了当年办学条件的中小学校。"
        "办学条件按学年起始年份登记；分县、镇/街道。",
        numerator="出口带宽 ≥ 1000Mbps 的中小学校数",
        denominator="登记了当年办学条件的中小学校数",
        levels=AREA_LEVELS,
    ),
    IndicatorDef(
        "teacher_pay_ratio",
        "义务教育教师平均工资收入与当地公务员之比",
        "%",
        ("义务教育教师平均工资收入水平", "教师平均工资收入水平不低于"),
        definition="义务教育教师平均工资收入 ÷ 当地公务员平均工资收入 × 100，应 ≥ 100%（教师法；优质均衡"
        "督导评估 G8，standards.md §10.1）。工资数据来自财政、人社部门，系统无登记，人工填报。"
        "自然年口径；仅县级。",
        numerator="义务教育教师年人均应发工资收入",
        denominator="当地公务员年人均应发工资收入",
        kind="manual",
        levels=(COUNTY,),
        year_basis=CALENDAR_YEAR,
    ),
)
CATALOGUE: dict[str, IndicatorDef] = {d.code: d for d in CATALOGUE_LIST}


def _norm(text: str) -> str:
    """Name without blanks, brackets with units, quotes and "其中：" — what matching compares."""
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    text = re.sub(r"[\s“”\"'‘’：:]|其中", "", text)
    return text


def match_indicator(name: str, unit: str | None = None, category: str | None = None) -> str | None:
    """The code of the indicator a plan's wording names, or None. ``category`` is the table's 类别 column
    (义务教育 + 在校生 → 义务教育在校生): tried first, prefixed to the name. Exact (normalised) alias matches
    win; otherwise the longest alias contained in the name. ``unit`` breaks ties (万人 vs %)."""
    if category:
        found = _match(_norm(category) + _norm(name), unit)
        if found:
            return found
    return _match(_norm(name), unit)


def _match(wanted: str, unit: str | None) -> str | None:
    if not wanted:
        return None
    exact = [d for d in CATALOGUE_LIST if wanted in {_norm(a) for a in (d.name, *d.aliases)}]
    if exact:
        return _pick(exact, unit).code
    best: tuple[int, IndicatorDef] | None = None
    for d in CATALOGUE_LIST:
        for alias in (d.name, *d.aliases):
            a = _norm(alias)
            if len(a) >= 2 and a in wanted and (best is None or len(a) > best[0]):
                best = (len(a), d)
    return best[1].code if best else None


def _pick(candidates: list[IndicatorDef], unit: str | None) -> IndicatorDef:
    if unit:
        same = [d for d in candidates if d.unit == unit]
        if same:
            return same[0]
    return candidates[0]
