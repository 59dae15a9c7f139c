#!/usr/bin/env bash
# The .deb end to end: build it with CPack, check its control fields and contents, unpack it into
# a scratch root (whose prefix is not /usr) and use it from there with a bare environment - no
# LD_LIBRARY_PATH, no CONSILIUM_PLUGIN_PATH, PATH without the build tree - so the programs must
# find their workers, plugins, demo data and SDK relative to themselves. Last, a third party's
# plugin: the installed template built against the unpacked SDK alone, then run.
#   check_package.sh BUILD_DIR SOURCE_DIR WORK_DIR CPACK VERSION [SHARED_DIR]
set -uo pipefail
build=$1 src=$2 work=$3 cpack=$4 version=$5 shared=${6:-}

fails=0
ok()   { echo "ok: $*"; }
bad()  { echo "FAIL: $*"; fails=$((fails + 1)); }
stop() { echo "FAIL: $*"; exit 1; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

rm -rf "$work"; mkdir -p "$work/home"
root=$work/root ws=$work/ws
# What every program below runs with: nothing from the caller's environment.
bare=(env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8
      XDG_DATA_HOME="$work/xdg" XDG_CONFIG_HOME="$work/xdg-config")
as() { local user=$1; shift; "${bare[@]}" CONSILIUM_PASSWORD="$user" "$root/usr/bin/consilium-cli" --workspace "$ws" --user "$user" "$@"; }
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# 1. The package
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 \
  || { tail -n 30 "$work/cpack.log"; stop "cpack -G DEB"; }
deb=$(ls "$work"/pkg/consilium_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || stop "cpack made no consilium_*.deb (see $work/cpack.log)"
ok "cpack -G DEB: $(basename "$deb")"

ctl() { dpkg-deb -f "$deb" "$1"; }
check "Package: consilium" test "$(ctl Package)" = consilium
check "Version $(ctl Version) is the project's $version" eval '[[ "$(ctl Version)" == "$version"-* ]]'
check "Section: science" test "$(ctl Section)" = science
check "Maintainer is set" test -n "$(ctl Maintainer)"
depends=$(ctl Depends)
for want in python3 libvtk libwx libdcmtk libsqlite3 libc6; do
  check "Depends names $want (shlibdeps)" grep -q "$want" <<<"$depends"
done
check "Description says it is not a certified medical device" grep -q "not a certified medical device" <<<"$(ctl Description)"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
plugin_ids=$(for m in "$src"/plugins/*/plugin.json; do field "$m" "d['id']"; done)   # the shipped plugins
wanted=(/usr/bin/consilium /usr/bin/consilium-cli
        /usr/lib/consilium/consilium-dicom-worker /usr/lib/consilium/libconsilium-gdcm-decoder.so
        /usr/lib/consilium/consilium-plugin-worker
        /usr/lib/consilium/libconsilium-render.so /usr/lib/consilium/libconsilium-volume-files.so
        /usr/include/consilium/consilium_plugin.h /usr/include/consilium/consilium_plugin.hpp
        /usr/lib/cmake/ConsiliumPluginSDK/ConsiliumPluginSDKConfig.cmake
        /usr/lib/cmake/ConsiliumPluginSDK/ConsiliumPluginSDKConfigVersion.cmake
        /usr/lib/cmake/ConsiliumPluginSDK/ConsiliumPluginSDKTargets.cmake
        /usr/share/consilium/plugin-sdk/template/CMakeLists.txt
        /usr/share/consilium/plugin-sdk/template/plugin.json
        /usr/share/locale/nl/LC_MESSAGES/consilium.mo
        /usr/share/applications/org.consilium.Consilium.desktop
        /usr/share/icons/hicolor/scalable/apps/org.consilium.Consilium.svg
        /usr/share/icons/hicolor/256x256/apps/org.consilium.Consilium.png
        /usr/share/metainfo/org.consilium.Consilium.metainfo.xml)
for id in $plugin_ids; do wanted+=("/usr/lib/consilium/plugins/$id/plugin.json"); done
for f in "${wanted[@]}"; do check "package holds $f" grep -qx "$f" "$work/contents"; done
check "package holds the demo FHIR bundles" grep -q '^/usr/share/consilium/demo/fhir/.*\.json$' "$work/contents"
check "package installs nothing outside /usr" test -z "$(grep -v '^/usr\(/\|$\)' "$work/contents" | grep -vx '/')"

# 2. Unpacked: no path into the build tree, files where the programs look
dpkg-deb -x "$deb" "$root" || stop "dpkg-deb -x"
elf_rpaths=""
while IFS= read -r f; do
  r=$(readelf -d "$f" 2>/dev/null | grep -E 'RPATH|RUNPATH' || true)
  [ -n "$r" ] && elf_rpaths+="$f: $r"$'\n'
done < <(find "$root" -type f -exec sh -c 'head -c 4 "$1" | grep -q ELF' _ {} \; -print)
check "no installed binary has an RPATH/RUNPATH${elf_rpaths:+: $elf_rpaths}" test -z "$elf_rpaths"
check "no installed file names the build tree" test -z "$(grep -rlF "$build" "$root" 2>/dev/null)"
for id in $plugin_ids; do
  check "plugin $id: every file of its folder in the build tree is packaged" \
    diff <(cd "$build/lib/consilium/plugins/$id" && find . -type f | sort) <(cd "$root/usr/lib/consilium/plugins/$id" && find . -type f | sort)
done
if command -v desktop-file-validate >/dev/null; then
  check "desktop entry validates" desktop-file-validate "$root/usr/share/applications/org.consilium.Consilium.desktop"
else echo "skipped: desktop-file-validate not installed (scripts/setup installs desktop-file-utils)"; fi
if command -v appstreamcli >/dev/null; then
  check "AppStream metainfo validates" appstreamcli validate --no-net "$root/usr/share/metainfo/org.consilium.Consilium.metainfo.xml"
else echo "skipped: appstreamcli not installed (scripts/setup installs appstream)"; fi
check "the PNG icon is 256x256" eval 'file "$root/usr/share/icons/hicolor/256x256/apps/org.consilium.Consilium.png" | grep -q "256 x 256"'
check "desktop entry runs consilium with the packaged icon" eval \
  'grep -qx "Exec=consilium" "$root/usr/share/applications/org.consilium.Consilium.desktop" && grep -qx "Icon=org.consilium.Consilium" "$root/usr/share/applications/org.consilium.Consilium.desktop"'

# 3. The unpacked programs, with a bare environment
check "consilium-cli --version" eval '"${bare[@]}" "$root/usr/bin/consilium-cli" --version | grep -qx "consilium-cli $version"'
check "consilium --version" eval '"${bare[@]}" "$root/usr/bin/consilium" --version | grep -qx "consilium $version"'
"${bare[@]}" "$root/usr/bin/consilium-cli" --workspace "$ws" init --demo >"$work/init.out" 2>&1
check "consilium-cli init --demo (demo data from <prefix>/share/consilium)" test $? -eq 0
"${bare[@]}" "$root/usr/bin/consilium-cli" --json scan "$ws/images" >"$work/scan.json" 2>"$work/scan.err"
check "consilium-cli scan of the demo workspace's images" eval '[ "$(field "$work/scan.json" "len(d[\"studies\"])")" -ge 1 ]'
series_dir=$(find "$ws/images" -mindepth 2 -maxdepth 2 -type d | head -n 1)
"${bare[@]}" "$root/usr/bin/consilium-cli" --json volume "$series_dir" >"$work/volume.json" 2>"$work/volume.err"
check "consilium-cli volume: decoded by <prefix>/lib/consilium/consilium-dicom-worker" \
  eval '[ "$(field "$work/volume.json" "len(d[\"dims\"])")" = 3 ]'
j2k=$shared/data/dicom/pydicom/MR_small_jp2klossless.dcm
if [ -n "$shared" ] && [ -f "$j2k" ]; then
  mkdir -p "$work/j2k" && cp "$j2k" "$work/j2k/"
  "${bare[@]}" "$root/usr/bin/consilium-cli" --json volume "$work/j2k" >"$work/j2k.json" 2>"$work/j2k.err"
  check "JPEG 2000 decoded through <prefix>/lib/consilium/libconsilium-gdcm-decoder.so" \
    eval '[ "$(field "$work/j2k.json" "d[\"max\"] > d[\"min\"]")" = True ]'
else echo "skipped: JPEG 2000 load (no $j2k)"; fi
nii=$shared/data/volumes/nibabel/anatomical.nii
if [ -n "$shared" ] && [ -f "$nii" ]; then
  "${bare[@]}" "$root/usr/bin/consilium-cli" --json volume "$nii" >"$work/nii.json" 2>"$work/nii.err"
  check "NIfTI read through <prefix>/lib/consilium/libconsilium-volume-files.so (ITK)" \
    eval '[ "$(field "$work/nii.json" "d[\"dims\"]")" = "[33, 41, 25]" ]'
else echo "skipped: NIfTI load (no $nii)"; fi
if command -v xvfb-run >/dev/null; then
  # The bare environment plus the display xvfb-run made (env -i would drop it).
  xvfb-run -a -s '-screen 0 640x480x24' bash -c 'exec env -i HOME="$1" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" "$2" render "$3" --view axial --size 64x64 --out "$4"' \
    _ "$work/home" "$root/usr/bin/consilium-cli" "$series_dir" "$work/axial.png" >"$work/render.out" 2>&1
  check "consilium-cli render through <prefix>/lib/consilium/libconsilium-render.so (VTK)" test -s "$work/axial.png"
else echo "skipped: render (no xvfb-run)"; fi
check "consilium-cli links neither VTK nor ITK (they load with the modules)" \
  eval '! readelf -d "$root/usr/bin/consilium-cli" | grep -Eq "NEEDED.*lib(vtk|ITK)"'

as physician --json plugins list >"$work/plugins.json" 2>"$work/plugins.err"
for id in $plugin_ids; do
  check "plugins list: $id found in <prefix>/lib/consilium/plugins and available" eval \
    '[ "$(field "$work/plugins.json" "[(p[\"available\"], p[\"path\"].startswith(\"$root/usr/lib/consilium/plugins/\")) for p in d if p[\"id\"] == \"$id\"]")" = "[(True, True)]" ]'
done
# An adult: the shipped plugins are for adults (their manifests' model.population) and refuse children.
pid=$(as physician --json patients | python3 -c "
import json, sys, datetime
today = datetime.date.today()
adults = [p for p in json.load(sys.stdin) if p.get('birth_date') and (today - datetime.date.fromisoformat(p['birth_date'][:10])).days > 19 * 366]
print(adults[0]['id'])")
as physician --json plugins run org.consilium.news2 --patient "$pid" >"$work/news2.json" 2>"$work/news2.err"
check "plugins run org.consilium.news2 (native, in <prefix>/lib/consilium/consilium-plugin-worker)" \
  eval '[ "$(field "$work/news2.json" "d[\"status\"]")" = succeeded ]'
as physician --json plugins run org.consilium.cha2ds2-vasc --patient "$pid" >"$work/cha.json" 2>"$work/cha.err"
check "plugins run org.consilium.cha2ds2-vasc (command, python3)" \
  eval '[ "$(field "$work/cha.json" "d[\"status\"]")" = succeeded ]'

# 4. A plugin built against the unpacked SDK alone
tpl=$root/usr/share/consilium/plugin-sdk/template
"${bare[@]}" cmake -S "$tpl" -B "$work/tpl" -DCMAKE_PREFIX_PATH="$root/usr" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
  >"$work/tpl.log" 2>&1 && "${bare[@]}" cmake --build "$work/tpl" >>"$work/tpl.log" 2>&1
built=$?
check "the installed template builds against the unpacked SDK" test $built -eq 0
[ $built -eq 0 ] || tail -n 20 "$work/tpl.log"
check "... found as $root/usr/lib/cmake/ConsiliumPluginSDK" \
  grep -qx "ConsiliumPluginSDK_DIR:PATH=$root/usr/lib/cmake/ConsiliumPluginSDK" "$work/tpl/CMakeCache.txt"
# A plugin new to this installation runs once an admin approves its content hash.
"${bare[@]}" CONSILIUM_PASSWORD=admin CONSILIUM_PLUGIN_PATH="$work/tpl" "$root/usr/bin/consilium-cli" \
  --workspace "$ws" --user admin plugins approve org.example.template >"$work/tpl-approve.out" 2>&1
"${bare[@]}" CONSILIUM_PASSWORD=physician CONSILIUM_PLUGIN_PATH="$work/tpl" "$root/usr/bin/consilium-cli" \
  --workspace "$ws" --user physician --json plugins run org.example.template --patient "$pid" >"$work/tpl-run.json" 2>"$work/tpl-run.err"
check "the template plugin runs in the unpacked workstation" eval '[ "$(field "$work/tpl-run.json" "d[\"status\"]")" = succeeded ]'

if [ "$fails" -ne 0 ]; then
  echo "$fails check(s) failed; outputs in $work"
  exit 1
fi
echo "all checks passed"
