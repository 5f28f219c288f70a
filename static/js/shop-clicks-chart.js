// The Shop clicks report's chart: one line per post and module, from the data the page carries as JSON.
(() => {
  const canvas = document.getElementById("shop-clicks-chart");
  const data = document.getElementById("shop-clicks-data");
  if (!canvas || !data || typeof Chart === "undefined") return;
  const chart = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: chart.labels,
      datasets: chart.series.map((series) => ({ label: series.label, data: series.data, tension: 0.2 })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
