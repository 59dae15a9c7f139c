#include "model/launch_options.h"

#include <cstdlib>
#include <stdexcept>

namespace consilium::gui {

LaunchOptions parse_launch_options(const std::vector<std::string>& args) {
    LaunchOptions o;
    if (const char* env = std::getenv("CONSILIUM_WORKSPACE"); env && *env) o.workspace = env;
    if (std::getenv("CONSILIUM_WATCHDOG")) o.watchdog = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size() || args[i + 1].starts_with("--"))
                throw std::invalid_argument(a + " needs a value");  // untranslated: terminal
            return args[++i];
        };
        if (a == "--workspace") o.workspace = value();
        else if (a == "--patient") o.patient = value();
        else if (a == "--series") o.series = value();
        else if (a == "--lang") {
            o.language = value();
            if (*o.language != "en" && *o.language != "nl")
                throw std::invalid_argument("--lang " + *o.language + ": the workstation speaks en and nl");  // untranslated: terminal
        } else if (a == "--watchdog") o.watchdog = true;
        else if (a == "--help" || a == "-h") o.help = true;
        else if (a == "--version") o.version = true;
        else throw std::invalid_argument("unknown argument '" + a + "'");  // untranslated: terminal
    }
    if (o.workspace.empty()) o.workspace = "workspace";
    return o;
}

// Messages here go to the terminal (main(), before wx and the catalogue are loaded): "untranslated".
std::string launch_usage() {
    return "usage: consilium [--workspace DIR] [--patient ID|MRN] [--series UID] [--lang en|nl] [--watchdog]\n";  // untranslated: terminal
}

}  // namespace consilium::gui
