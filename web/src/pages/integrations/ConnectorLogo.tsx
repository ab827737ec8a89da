// A connector's logo. The hub sends inline SVG; drawn through <img> so that no script or external
// reference in it can run or load (an SVG image is sandboxed), never injected into the page's DOM.
import { Box } from '@mantine/core';

export function ConnectorLogo({ svg, title, size = 40 }: { svg: string | undefined; title: string; size?: number }) {
  const placeholder = (
    <Box
      w={size}
      h={size}
      bg="gray.2"
      c="gray.7"
      fw={700}
      fz={size * 0.42}
      style={{ borderRadius: size * 0.22, display: 'grid', placeItems: 'center', flex: 'none' }}
      aria-hidden="true"
    >
      {title.charAt(0).toUpperCase()}
    </Box>
  );
  if (!svg) return placeholder;
  return (
    <img
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
      // The title is always written beside the logo; repeating it would be read twice.
      alt=""
      width={size}
      height={size}
      style={{ flex: 'none', display: 'block', borderRadius: size * 0.22 }}
    />
  );
}
