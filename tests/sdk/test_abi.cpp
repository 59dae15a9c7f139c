// The ABI layout, pinned: sizeof and offsetof of every struct of consilium_plugin.h and the size
// of every enum, as measured once on x86_64 (gcc 12, System V ABI). A change here is an ABI
// break: the header only grows (fields appended at the end of a struct change its size only).
#include "abi_c.h"
#include "consilium_plugin.h"
#include "fake_host.h"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

struct Pin {
    const char* name;  // "struct" or "struct.field"
    std::size_t cxx;   // as the C++ compiler sees it
    std::size_t x86_64;
};

#define SZ(s, n) Pin{#s, sizeof(s), n}
#define OFF(s, m, n) Pin{#s "." #m, offsetof(s, m), n}

// clang-format off
const Pin pins[] = {
    SZ(consilium_pixel_type, 4), SZ(consilium_log_level, 4), SZ(consilium_status, 4),

    SZ(consilium_volume, 168),
    OFF(consilium_volume, abi_version, 0),   OFF(consilium_volume, struct_size, 4),
    OFF(consilium_volume, dims, 8),          OFF(consilium_volume, pixel_type, 20),
    OFF(consilium_volume, spacing_mm, 24),   OFF(consilium_volume, origin_lps, 48),
    OFF(consilium_volume, direction, 72),    OFF(consilium_volume, voxels, 144),
    OFF(consilium_volume, modality, 152),    OFF(consilium_volume, series_uid, 160),

    SZ(consilium_host, 72),
    OFF(consilium_host, abi_version, 0),     OFF(consilium_host, struct_size, 4),
    OFF(consilium_host, host, 8),            OFF(consilium_host, log, 16),
    OFF(consilium_host, progress, 24),       OFF(consilium_host, is_cancelled, 32),
    OFF(consilium_host, emit_suggestions, 40), OFF(consilium_host, context_json, 48),
    OFF(consilium_host, volume, 56),         OFF(consilium_host, work_dir, 64),

    SZ(consilium_plugin, 48),
    OFF(consilium_plugin, abi_version, 0),   OFF(consilium_plugin, struct_size, 4),
    OFF(consilium_plugin, id, 8),            OFF(consilium_plugin, version, 16),
    OFF(consilium_plugin, model_version, 24), OFF(consilium_plugin, run, 32),
    OFF(consilium_plugin, shutdown, 40),
};
// clang-format on

}  // namespace

BOOST_AUTO_TEST_SUITE(abi_layout)

BOOST_AUTO_TEST_CASE(c_and_cxx_compilers_agree_on_the_layout) {
    for (const Pin& p : pins) {
        BOOST_TEST_CONTEXT(p.name) { BOOST_TEST(sdk_c_layout(p.name) == p.cxx); }
    }
}

#if defined(__x86_64__)
BOOST_AUTO_TEST_CASE(layout_is_pinned_on_x86_64) {
    for (const Pin& p : pins) {
        BOOST_TEST_CONTEXT(p.name) { BOOST_TEST(p.cxx == p.x86_64); }
    }
}
#endif

BOOST_AUTO_TEST_CASE(enums_and_version_are_fixed) {
    BOOST_TEST(CONSILIUM_PLUGIN_ABI_VERSION == 1);
    BOOST_TEST(std::string(CONSILIUM_PLUGIN_ENTRY_SYMBOL) == "consilium_plugin_entry");
    BOOST_TEST(CONSILIUM_PIXEL_INT16 == 1);
    BOOST_TEST(CONSILIUM_PIXEL_FLOAT32 == 2);
    BOOST_TEST(CONSILIUM_LOG_DEBUG == 0);
    BOOST_TEST(CONSILIUM_LOG_INFO == 1);
    BOOST_TEST(CONSILIUM_LOG_WARNING == 2);
    BOOST_TEST(CONSILIUM_LOG_ERROR == 3);
    BOOST_TEST(CONSILIUM_STATUS_OK == 0);
    BOOST_TEST(CONSILIUM_STATUS_ERROR == 1);
    BOOST_TEST(CONSILIUM_STATUS_CANCELLED == 2);
    BOOST_TEST(CONSILIUM_STATUS_INVALID_ARGUMENT == 3);
    BOOST_TEST(CONSILIUM_STATUS_UNSUPPORTED == 4);
    BOOST_TEST(static_cast<std::uint32_t>(CONSILIUM_STATUS_FORCE32) == 0x7FFFFFFFu);
}

BOOST_AUTO_TEST_CASE(a_plugin_written_in_c_runs) {
    BOOST_TEST(sdk_c_plugin_entry(0) == nullptr);
    const consilium_plugin* p = sdk_c_plugin_entry(CONSILIUM_PLUGIN_ABI_VERSION);
    BOOST_REQUIRE(p != nullptr);
    BOOST_TEST(p->abi_version == 1u);
    BOOST_TEST(p->struct_size == sizeof(consilium_plugin));
    BOOST_TEST(std::string(p->id) == "org.example.c");

    const std::int16_t voxels[8] = {-1000, -1000, 0, 0, 40, 40, 1000, 1000};
    consilium_volume v{};
    v.abi_version = 1;
    v.struct_size = sizeof v;
    v.dims[0] = 2; v.dims[1] = 2; v.dims[2] = 2;
    v.pixel_type = CONSILIUM_PIXEL_INT16;
    v.voxels = voxels;
    consilium::test::FakeHost host(&v);
    BOOST_TEST(p->run(&host.h) == CONSILIUM_STATUS_OK);
    BOOST_REQUIRE(host.emitted.size() == 1u);
    BOOST_TEST(host.emitted[0].find("\"summary\":\"mean 10\"") != std::string::npos);
    BOOST_TEST(host.progress == 1.0);

    consilium::test::FakeHost cancelled(&v);
    cancelled.cancel = true;
    BOOST_TEST(p->run(&cancelled.h) == CONSILIUM_STATUS_CANCELLED);
    BOOST_TEST(cancelled.emitted.empty());

    consilium::test::FakeHost no_volume;
    BOOST_TEST(p->run(&no_volume.h) == CONSILIUM_STATUS_UNSUPPORTED);
}

BOOST_AUTO_TEST_SUITE_END()
