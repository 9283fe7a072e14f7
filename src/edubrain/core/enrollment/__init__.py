"""义务教育入学网上办 (online enrollment): eligibility, priority tiers, the reproducible lottery
(电脑派位) and placement — pure functions over values and frames, no Django."""
