export default function Home() {
  return (
    <main style={{ padding: 24 }}>
      <h1>FluxAsync Mail</h1>
    </main>
  );
}
