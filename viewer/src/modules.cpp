#include "modules.h"

#include "helper_path.h"

#include <dlfcn.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace consilium::viewer::modules {

void* entry_point(const char* library, const char* symbol) {
    static std::mutex mutex;
    static std::map<std::string, void*> loaded;
    std::lock_guard lock(mutex);
    void*& handle = loaded[library];
    if (!handle) {
        const auto path = helper_path(library);
        handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = dlerror();
            throw std::runtime_error(std::string("cannot load ") + library + ": " + (why ? why : "unknown error"));
        }
    }
    void* entry = dlsym(handle, symbol);
    if (!entry) throw std::runtime_error(std::string(library) + " has no " + symbol + " (a module of another version?)");
    return entry;
}

}  // namespace consilium::viewer::modules
