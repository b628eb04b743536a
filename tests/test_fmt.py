from ui import fmt


def test_number__groups_with_spaces():
    assert fmt.number(1234567) == "1\u00a0234\u00a0567"


def test_money__uses_mlrd_and_mln():
    assert fmt.money(2_450_000_000, lang="uz") == "2,5 mlrd so‘m"
    assert fmt.money(3_200_000, lang="uz") == "3,2 mln so‘m"
    assert fmt.money(950_000, lang="uz") == "950\u00a0000 so‘m"


def test_pct__one_decimal():
    assert fmt.pct(0.1234) == "12,3\u00a0%"


def test_count__suppresses_small_counts():
    assert fmt.count(3, min_cell=10) == "<10"
    assert fmt.count(0, min_cell=10) == "0"
    assert fmt.count(10, min_cell=10) == "10"


def test_signed_pct__signs():
    assert fmt.signed_pct(0.042) == "+4,2\u00a0%"
    assert fmt.signed_pct(-0.01) == "−1,0\u00a0%"
