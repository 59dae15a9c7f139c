// The ITK side of the plugin: connected components with shape measures
// (BinaryImageToShapeLabelMapFilter) and the NRRD writer. Kept to one image type, unsigned char
// 3D, so that ITK's templates are instantiated once.
#include "components.h"

#include <itkBinaryImageToShapeLabelMapFilter.h>
#include <itkImage.h>
#include <itkImageFileWriter.h>
#include <itkImportImageContainer.h>
#include <itkMultiThreaderBase.h>
#include <itkNrrdImageIO.h>

#include <stdexcept>

namespace consilium::lung {
namespace {

using MaskImage = itk::Image<unsigned char, 3>;

// An ITK image over the caller's buffer (not copied, not freed, never written by the filters used here).
MaskImage::Pointer wrap(const std::uint8_t* data, const Grid& g) {
    auto image = MaskImage::New();
    MaskImage::SizeType size;
    MaskImage::SpacingType spacing;
    MaskImage::PointType origin;
    MaskImage::DirectionType direction;
    for (unsigned a = 0; a < 3; ++a) {
        size[a] = static_cast<itk::SizeValueType>(g.dims[a]);
        spacing[a] = g.spacing[a];
        origin[a] = g.origin[a];
        for (unsigned c = 0; c < 3; ++c) direction(a, c) = g.direction[a * 3 + c];
    }
    image->SetRegions(MaskImage::RegionType(size));
    image->SetSpacing(spacing);
    image->SetOrigin(origin);
    image->SetDirection(direction);
    auto container = MaskImage::PixelContainer::New();
    container->SetImportPointer(const_cast<std::uint8_t*>(data), g.voxels(), false);
    image->SetPixelContainer(container);
    return image;
}

}  // namespace

std::vector<Component> connected_components(const std::uint8_t* mask, const Grid& grid, bool shape) {
    using ToLabelMap = itk::BinaryImageToShapeLabelMapFilter<MaskImage>;
    auto filter = ToLabelMap::New();
    filter->SetInput(wrap(mask, grid));
    filter->SetInputForegroundValue(1);
    filter->SetFullyConnected(false);
    filter->SetComputePerimeter(shape);
    filter->SetComputeFeretDiameter(false);
    filter->SetComputeOrientedBoundingBox(false);
    filter->Update();
    auto map = filter->GetOutput();

    std::vector<Component> out;
    out.reserve(map->GetNumberOfLabelObjects());
    for (std::size_t n = 0; n < map->GetNumberOfLabelObjects(); ++n) {
        const auto* o = map->GetNthLabelObject(n);
        Component c;
        c.voxels = o->GetNumberOfPixels();
        c.volume_mm3 = o->GetPhysicalSize();
        c.equivalent_diameter_mm = 2 * o->GetEquivalentSphericalRadius();
        const auto centroid = o->GetCentroid();
        const auto box = o->GetBoundingBox();
        for (unsigned a = 0; a < 3; ++a) {
            c.centroid_lps[a] = centroid[a];
            c.bbox_min[a] = static_cast<int>(box.GetIndex()[a]);
            c.bbox_max[a] = static_cast<int>(box.GetIndex()[a] + static_cast<itk::IndexValueType>(box.GetSize()[a])) - 1;
        }
        if (shape) {
            c.elongation = o->GetElongation();
            c.flatness = o->GetFlatness();
            c.roundness = o->GetRoundness();
        }
        c.runs.reserve(o->GetNumberOfLines());
        for (itk::SizeValueType l = 0; l < o->GetNumberOfLines(); ++l) {
            const auto& line = o->GetLine(l);
            const auto& idx = line.GetIndex();
            c.runs.push_back({static_cast<int>(idx[0]), static_cast<int>(idx[1]), static_cast<int>(idx[2]),
                              static_cast<int>(line.GetLength())});
        }
        out.push_back(std::move(c));
    }
    return out;
}

void write_label_nrrd(const std::uint8_t* labels, const Grid& grid, const std::string& path) {
    auto io = itk::NrrdImageIO::New();
    auto writer = itk::ImageFileWriter<MaskImage>::New();
    writer->SetImageIO(io);
    writer->SetFileName(path);
    writer->SetInput(wrap(labels, grid));
    writer->SetUseCompression(true);
    try {
        writer->Update();
    } catch (const itk::ExceptionObject& e) {
        throw std::runtime_error("cannot write " + path + ": " + e.GetDescription());
    }
}

void limit_threads(unsigned threads) {
    if (threads < 1) threads = 1;
    itk::MultiThreaderBase::SetGlobalMaximumNumberOfThreads(threads);
    itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(threads);
}

}  // namespace consilium::lung
