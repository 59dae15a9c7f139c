// The C++ convenience layer: JSON writing, the exception boundary, the entry-point macro, and
// the volume view.
#include "consilium_plugin.hpp"
#include "fake_host.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <clocale>
#include <limits>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

namespace sdk = consilium::sdk;
using consilium::test::FakeHost;

namespace {

class Good : public sdk::Plugin {
public:
    void run(sdk::Context& ctx) override {
        ctx.info("hello");
        ctx.progress(2.0);  // clamped to 1
        ctx.emit({sdk::Suggestion("risk")
                      .score(7)
                      .band("high")
                      .summary("NEWS2 7")
                      .rationale("line 1\nline 2 \"quoted\"")
                      .observation("obs-1")});
    }
};

struct Throws : sdk::Plugin {
    void run(sdk::Context&) override { throw std::runtime_error("model file missing"); }
};
struct ThrowsInt : sdk::Plugin {
    void run(sdk::Context&) override { throw 42; }
};
struct ThrowsBadAlloc : sdk::Plugin {
    void run(sdk::Context&) override { throw std::bad_alloc(); }
};
struct ThrowsInConstructor : sdk::Plugin {
    ThrowsInConstructor() { throw std::runtime_error("cannot load weights"); }
    void run(sdk::Context&) override {}
};
struct StopsWhenCancelled : sdk::Plugin {
    void run(sdk::Context& ctx) override {
        ctx.throw_if_cancelled();
        ctx.emit({});
    }
};
struct ReadsVolume : sdk::Plugin {
    void run(sdk::Context& ctx) override {
        auto v = ctx.volume();
        if (!v) throw std::runtime_error("no volume");
        (void)v->at<float>(0, 0, 0);  // wrong pixel type for an int16 volume: throws
    }
};

}  // namespace

// The entry point of this test binary, made by the macro (the semicolon is part of the usage).
CONSILIUM_PLUGIN(Good, "org.example.good", "1.2.3", "model-7");

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(escapes_quotes_backslashes_and_control_characters) {
    BOOST_TEST(sdk::json_string("plain") == "\"plain\"");
    BOOST_TEST(sdk::json_string("say \"hi\"") == "\"say \\\"hi\\\"\"");
    BOOST_TEST(sdk::json_string("a\\b") == "\"a\\\\b\"");
    BOOST_TEST(sdk::json_string("l1\nl2\r\tend") == "\"l1\\nl2\\r\\tend\"");
    BOOST_TEST(sdk::json_string("\b\f") == "\"\\b\\f\"");
    BOOST_TEST(sdk::json_string(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\\u007f\"");
    BOOST_TEST(sdk::json_string(std::string("nul\0in", 6)) == "\"nul\\u0000in\"");
    BOOST_TEST(sdk::json_string("</script>") == "\"</script>\"");
}

BOOST_AUTO_TEST_CASE(keeps_valid_utf8_and_replaces_invalid_bytes) {
    const std::string text = "Größe 5 mm, \xE2\x89\xA5 3, \xF0\x9F\xA9\xBA, 肺结节";  // ≥, stethoscope
    BOOST_TEST(sdk::json_string(text) == "\"" + text + "\"");
    BOOST_TEST(nlohmann::json::parse(sdk::json_string(text)).get<std::string>() == text);
    BOOST_TEST(sdk::json_string("a\xFF" "b") == "\"a\\ufffdb\"");        // not a lead byte
    BOOST_TEST(sdk::json_string("\xC3") == "\"\\ufffd\"");                // truncated sequence
    BOOST_TEST(sdk::json_string("\xC0\xAF") == "\"\\ufffd\\ufffd\"");     // overlong '/'
    BOOST_TEST(sdk::json_string("\xED\xA0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
    // Whatever the bytes, the output parses.
    std::string all;
    for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
    BOOST_CHECK_NO_THROW(nlohmann::json::parse(sdk::json_string(all)));
}

BOOST_AUTO_TEST_CASE(numbers_round_trip_and_non_finite_become_null) {
    std::string s;
    sdk::append_json_number(s, 0.83);
    BOOST_TEST(s == "0.83");
    s.clear();
    sdk::append_json_number(s, 7);
    BOOST_TEST(s == "7");
    s.clear();
    sdk::append_json_number(s, 0.1 + 0.2);
    BOOST_TEST(nlohmann::json::parse(s).get<double>() == 0.1 + 0.2);
    s.clear();
    sdk::append_json_number(s, std::numeric_limits<double>::quiet_NaN());
    BOOST_TEST(s == "null");
}

BOOST_AUTO_TEST_CASE(numbers_ignore_a_comma_locale) {
    const char* was = std::setlocale(LC_NUMERIC, nullptr);
    const std::string saved = was ? was : "C";
    if (!std::setlocale(LC_NUMERIC, "de_DE.UTF-8")) return;  // locale not installed
    std::string s;
    sdk::append_json_number(s, 1.5);
    std::setlocale(LC_NUMERIC, saved.c_str());
    BOOST_TEST(s == "1.5");
}

BOOST_AUTO_TEST_CASE(suggestion_builder_writes_the_schema) {
    const std::string json = sdk::suggestions_json(
        {sdk::Suggestion("finding")
             .code("http://snomed.info/sct", "427359005", "Lung nodule")
             .confidence(0.83)
             .summary("Nodule 6 mm, right upper lobe")
             .rationale("Compact blob of 6 mm\ninside the lung mask")
             .roi({10.5, -20, 30}, {6, 6, 6})
             .mask("mask.nrrd")
             .reference("Fleischner 2017", "https://doi.org/10.1148/radiol.2017161659"),
         sdk::Suggestion("risk").score(3).band("low").summary("s").rationale("r")});
    const auto j = nlohmann::json::parse(json);
    BOOST_REQUIRE(j.at("suggestions").size() == 2u);
    const auto& f = j["suggestions"][0];
    BOOST_TEST(f["kind"] == "finding");
    BOOST_TEST(f["code"]["code"] == "427359005");
    BOOST_TEST(f["confidence"].get<double>() == 0.83);
    BOOST_TEST(f["rationale"] == "Compact blob of 6 mm\ninside the lung mask");
    BOOST_TEST(!f.contains("score"));
    BOOST_REQUIRE(f["evidence"].size() == 3u);
    BOOST_TEST(f["evidence"][0]["type"] == "roi");
    BOOST_TEST(f["evidence"][0]["center_lps"][0].get<double>() == 10.5);
    BOOST_TEST(f["evidence"][0]["size_mm"].size() == 3u);
    BOOST_TEST(f["evidence"][1]["file"] == "mask.nrrd");
    BOOST_TEST(f["evidence"][2]["url"] == "https://doi.org/10.1148/radiol.2017161659");
    const auto& r = j["suggestions"][1];
    BOOST_TEST(r["score"].get<int>() == 3);
    BOOST_TEST(r["band"] == "low");
    BOOST_TEST(r["confidence"].is_null());
    BOOST_TEST(!r.contains("code"));
    BOOST_TEST(sdk::suggestions_json({}) == R"({"suggestions":[]})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(boundary)

BOOST_AUTO_TEST_CASE(macro_makes_the_entry_point) {
    BOOST_TEST(consilium_plugin_entry(0) == nullptr);
    const consilium_plugin* p = consilium_plugin_entry(CONSILIUM_PLUGIN_ABI_VERSION);
    BOOST_REQUIRE(p != nullptr);
    BOOST_TEST(p->abi_version == 1u);
    BOOST_TEST(p->struct_size == sizeof(consilium_plugin));
    BOOST_TEST(std::string(p->id) == "org.example.good");
    BOOST_TEST(std::string(p->version) == "1.2.3");
    BOOST_TEST(std::string(p->model_version) == "model-7");
    BOOST_TEST(p->shutdown == nullptr);
    BOOST_TEST(consilium_plugin_entry(2) == p);  // a newer host is served too

    FakeHost host;
    BOOST_TEST(p->run(&host.h) == CONSILIUM_STATUS_OK);
    BOOST_TEST(host.progress == 1.0);
    BOOST_REQUIRE(host.emitted.size() == 1u);
    const auto j = nlohmann::json::parse(host.emitted[0]);
    BOOST_TEST(j["suggestions"][0]["score"].get<int>() == 7);
    BOOST_TEST(j["suggestions"][0]["rationale"] == "line 1\nline 2 \"quoted\"");
    BOOST_TEST(j["suggestions"][0]["evidence"][0]["ref"] == "obs-1");
}

BOOST_AUTO_TEST_CASE(exceptions_become_an_error_status_and_a_log_line) {
    {
        FakeHost host;
        BOOST_TEST(sdk::detail::run_plugin<Throws>(&host.h) == CONSILIUM_STATUS_ERROR);
        BOOST_REQUIRE(!host.logs.empty());
        BOOST_TEST(host.logs.back().first == CONSILIUM_LOG_ERROR);
        BOOST_TEST(host.logs.back().second.find("model file missing") != std::string::npos);
    }
    {
        FakeHost host;
        BOOST_TEST(sdk::detail::run_plugin<ThrowsInt>(&host.h) == CONSILIUM_STATUS_ERROR);
        BOOST_TEST(host.all_logs().find("unknown exception") != std::string::npos);
    }
    {
        FakeHost host;
        BOOST_TEST(sdk::detail::run_plugin<ThrowsBadAlloc>(&host.h) == CONSILIUM_STATUS_ERROR);
    }
    {
        FakeHost host;
        BOOST_TEST(sdk::detail::run_plugin<ThrowsInConstructor>(&host.h) == CONSILIUM_STATUS_ERROR);
        BOOST_TEST(host.all_logs().find("cannot load weights") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(cancellation_and_refused_output_have_their_own_status) {
    FakeHost cancelled;
    cancelled.cancel = true;
    BOOST_TEST(sdk::detail::run_plugin<StopsWhenCancelled>(&cancelled.h) == CONSILIUM_STATUS_CANCELLED);
    BOOST_TEST(cancelled.emitted.empty());

    FakeHost refusing;
    refusing.emit_status = CONSILIUM_STATUS_INVALID_ARGUMENT;
    BOOST_TEST(sdk::detail::run_plugin<Good>(&refusing.h) == CONSILIUM_STATUS_INVALID_ARGUMENT);
    BOOST_TEST(refusing.all_logs().find("refused") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_host_table_is_refused) {
    BOOST_TEST(sdk::detail::run_plugin<Good>(nullptr) == CONSILIUM_STATUS_INVALID_ARGUMENT);
    FakeHost old;
    old.h.struct_size = 16;
    BOOST_TEST(sdk::detail::run_plugin<Good>(&old.h) == CONSILIUM_STATUS_INVALID_ARGUMENT);
    BOOST_TEST(old.emitted.empty());
}

BOOST_AUTO_TEST_CASE(wrong_pixel_type_is_an_error_not_a_crash) {
    const std::int16_t voxel = 5;
    consilium_volume v{};
    v.abi_version = 1;
    v.struct_size = sizeof v;
    v.dims[0] = v.dims[1] = v.dims[2] = 1;
    v.spacing_mm[0] = v.spacing_mm[1] = v.spacing_mm[2] = 1;
    v.pixel_type = CONSILIUM_PIXEL_INT16;
    v.voxels = &voxel;
    FakeHost host(&v);
    BOOST_TEST(sdk::detail::run_plugin<ReadsVolume>(&host.h) == CONSILIUM_STATUS_ERROR);
    BOOST_TEST(host.all_logs().find("pixel type") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(volume_view)

BOOST_AUTO_TEST_CASE(typed_access_is_x_fastest_and_bounds_checked) {
    // 3 x 2 x 2 float volume, value = i + 10 j + 100 k
    float voxels[12];
    for (int k = 0; k < 2; ++k)
        for (int j = 0; j < 2; ++j)
            for (int i = 0; i < 3; ++i) voxels[i + 3 * (j + 2 * k)] = static_cast<float>(i + 10 * j + 100 * k);
    consilium_volume v{};
    v.abi_version = 1;
    v.struct_size = sizeof v;
    v.dims[0] = 3; v.dims[1] = 2; v.dims[2] = 2;
    v.spacing_mm[0] = v.spacing_mm[1] = v.spacing_mm[2] = 1;
    v.direction[0] = v.direction[4] = v.direction[8] = 1;
    v.pixel_type = CONSILIUM_PIXEL_FLOAT32;
    v.voxels = voxels;
    v.modality = "MR";
    const sdk::VolumeView view(v);
    BOOST_TEST(view.voxel_count() == 12u);
    BOOST_TEST(view.at<float>(2, 1, 1) == 112.0f);
    BOOST_TEST(view.at<float>(1, 0, 1) == 101.0f);
    BOOST_TEST(view.value(2, 0, 0) == 2.0);
    BOOST_TEST(view.modality() == "MR");
    BOOST_TEST(view.series_uid() == "");
    BOOST_CHECK_THROW((void)view.at<float>(3, 0, 0), std::out_of_range);
    BOOST_CHECK_THROW((void)view.at<float>(0, -1, 0), std::out_of_range);
    BOOST_CHECK_THROW((void)view.at<std::int16_t>(0, 0, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(index_to_lps_uses_origin_spacing_and_direction_columns) {
    const std::int16_t voxel = 0;
    consilium_volume v{};
    v.abi_version = 1;
    v.struct_size = sizeof v;
    v.dims[0] = v.dims[1] = v.dims[2] = 1;
    v.pixel_type = CONSILIUM_PIXEL_INT16;
    v.voxels = &voxel;
    v.spacing_mm[0] = 0.5; v.spacing_mm[1] = 0.7; v.spacing_mm[2] = 2.5;
    v.origin_lps[0] = -100; v.origin_lps[1] = 50; v.origin_lps[2] = 10;
    // A coronal series: i along +L (x), j along -S (rows go down), k along +P (y).
    // Row-major matrix whose columns are the i, j, k axes.
    const double d[9] = {1, 0, 0,
                         0, 0, 1,
                         0, -1, 0};
    for (int n = 0; n < 9; ++n) v.direction[n] = d[n];
    const sdk::VolumeView view(v);
    const auto p = view.index_to_lps(2, 10, 4);
    BOOST_TEST(p[0] == -100 + 2 * 0.5, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(p[1] == 50 + 4 * 2.5, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(p[2] == 10 - 10 * 0.7, boost::test_tools::tolerance(1e-12));
    const auto ijk = view.lps_to_index(p);
    BOOST_TEST(ijk[0] == 2.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(ijk[1] == 10.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(ijk[2] == 4.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(an_empty_volume_is_refused) {
    consilium_volume v{};
    v.dims[0] = 0;
    BOOST_CHECK_THROW(sdk::VolumeView{v}, std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
