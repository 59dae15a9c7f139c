// UTF-8 checked and repaired; JSON written whatever bytes a string holds.
#include "consilium/text/json_text.h"
#include "consilium/text/utf8.h"

#include <boost/test/unit_test.hpp>

using namespace consilium::text;

BOOST_AUTO_TEST_SUITE(utf8)

BOOST_AUTO_TEST_CASE(valid_text_is_kept_as_it_is) {
    for (std::string s : {"", "Buc^Jérôme", "山田^太郎", "Παπαδόπουλος", "😀 emoji", "plain ascii"}) {
        BOOST_TEST(is_valid_utf8(s));
        BOOST_TEST(valid_utf8(s) == s);
    }
}

BOOST_AUTO_TEST_CASE(each_ill_formed_part_becomes_one_replacement_character) {
    const std::string r(kReplacement);
    BOOST_TEST(valid_utf8("Buc^J\xe9r\xf4me") == "Buc^J" + r + "r" + r + "me");   // Latin-1 bytes
    BOOST_TEST(valid_utf8("abc\xe5\xb1") == "abc" + r);                           // cut short at the end
    BOOST_TEST(valid_utf8("\xe5\xb1x") == r + "x");                              // cut short, then ASCII
    BOOST_TEST(valid_utf8("\xc0\xaf") == r + r);                                 // overlong '/'
    BOOST_TEST(valid_utf8("\xed\xa0\x80") == r + r + r);                          // a surrogate
    BOOST_TEST(valid_utf8("\xf4\x90\x80\x80") == r + r + r + r);                  // above U+10FFFF
    BOOST_TEST(valid_utf8("\xff") == r);
    BOOST_TEST(!is_valid_utf8("\x80"));
    BOOST_TEST(is_valid_utf8(valid_utf8("\x80\x81 \xe0\x80 ok \xf0\x9f\x98")));
}

BOOST_AUTO_TEST_CASE(json_text_never_throws_on_invalid_bytes) {
    nlohmann::json doc{{"name", "M\xfcller"}, {"list", {"ok", "\xff\xfe"}}, {"nested", {{"k\xe9y", 1}}}};
    BOOST_CHECK_THROW((void)doc.dump(), nlohmann::json::type_error);  // what every writer used to do
    std::string text;
    BOOST_CHECK_NO_THROW(text = json_text(doc));
    BOOST_TEST(is_valid_utf8(text));
    BOOST_TEST(text.find("M\xef\xbf\xbdller") != std::string::npos);
    auto back = nlohmann::json::parse(text);
    BOOST_TEST(back["list"][0].get<std::string>() == "ok");
    BOOST_TEST(json_text(doc, 2).find('\n') != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
