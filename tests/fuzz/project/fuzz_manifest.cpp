// libFuzzer: any bytes as plugin.json. Must never crash, hang or exhaust memory; a bad manifest is
// an InputError naming the key, nothing else. A manifest that parses is shown (manifest_json), as
// `plugins info` would, to exercise its serialisation of what was accepted.
#include "consilium/decision/errors.h"
#include "consilium/plugins/manifest.h"
#include "manifest_reader.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto m = consilium::plugins::detail::parse_manifest_text("fuzz/plugin.json", std::move(text));
        (void)consilium::plugins::manifest_json(m);
    } catch (const consilium::decision::InputError&) {
    }
    return 0;
}
