"""义务教育入学网上办 (online enrollment): eligibility, priority tiers, the reproducible lottery
(电脑派位) and placement — pure functions over values and frames, no Django.

``tiers`` (招生类别), ``eligibility`` (入学资格: 身份证号, 满6周岁), ``lottery`` (电脑派位: the public
sha256-rank rule, the published document, ``edubrain enrollment lottery``), ``placement`` (派位与统筹调剂).
"""
