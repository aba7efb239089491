"""Content files are parsed once per text (a page run used to spend most of its time in YAML)."""

from services.guides import _parsed_yaml, load_yaml_mapping


def test_same_text_parsed_once_and_each_caller_gets_its_own_copy():
    _parsed_yaml.cache_clear()
    first = load_yaml_mapping("titre: Guide\netapes: [1, 2]\n", "x.yaml", "un guide")
    first["etapes"].append(3)
    second = load_yaml_mapping("titre: Guide\netapes: [1, 2]\n", "x.yaml", "un guide")
    assert second == {"titre": "Guide", "etapes": [1, 2]}
    assert _parsed_yaml.cache_info().hits == 1


def test_an_edited_file_is_read_again():
    assert load_yaml_mapping("titre: Avant\n", "x.yaml", "un guide")["titre"] == "Avant"
    assert load_yaml_mapping("titre: Après\n", "x.yaml", "un guide")["titre"] == "Après"
